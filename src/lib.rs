//! The Eventyard web app (Yew, client-side rendering).
