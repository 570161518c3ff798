//! Files the page offers for download (exports, autosaves kept aside).

/// The address of `text` as a file of type `media`, for an `<a download>`: the browser saves it;
/// nothing navigates or runs (the text is percent-encoded data).
pub fn data_address(media: &str, text: &str) -> String {
    format!(
        "data:{media};charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(text))
    )
}
