fn main() {
    yew::Renderer::<eventyard::app::App>::new().render();
}
