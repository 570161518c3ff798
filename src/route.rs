//! Which view is open, and how it is spelled in the URL fragment.
//!
//! The view lives in the fragment (`#/playground`) rather than the path so that the app works
//! from any static file host without a server-side fallback, and so that every navigation is a
//! history entry the back button can undo. Later share links append their state after the view.

/// The four journeys of the product, one view each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    PatternTester,
    Playground,
    SignIn,
    Learn,
}

impl View {
    /// Every view, in the order the navigation shows them.
    pub const ALL: [View; 4] = [
        View::PatternTester,
        View::Playground,
        View::SignIn,
        View::Learn,
    ];

    /// The fragment that opens this view, `#` included.
    pub fn fragment(self) -> &'static str {
        match self {
            View::PatternTester => "#/pattern-tester",
            View::Playground => "#/playground",
            View::SignIn => "#/sign-in",
            View::Learn => "#/learn",
        }
    }

    /// The name people read in the navigation and the page title.
    pub fn title(self) -> &'static str {
        match self {
            View::PatternTester => "Pattern tester",
            View::Playground => "Playground",
            View::SignIn => "Sign in",
            View::Learn => "Learn",
        }
    }

    /// Reads the view from a fragment such as `#/learn` or `#/learn?s=...`.
    ///
    /// Anything unknown (an empty fragment, a stale or hand-edited link) opens the pattern
    /// tester: a link must never leave a person on a blank page.
    pub fn from_fragment(fragment: &str) -> View {
        let route = fragment.trim_start_matches('#');
        let route = route.split(['?', '&']).next().unwrap_or_default();
        View::ALL
            .into_iter()
            .find(|view| view.fragment().trim_start_matches('#') == route)
            .unwrap_or(View::PatternTester)
    }
}

/// The value of `key` in the fragment's parameters: `#/playground?preset=donut-shop` has
/// `preset` = `donut-shop`. Values are taken as they are (ids, not free text).
pub fn fragment_param<'a>(fragment: &'a str, key: &str) -> Option<&'a str> {
    let (_, query) = fragment.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == key)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::{fragment_param, View};

    #[test]
    fn parameters_are_read_after_the_view() {
        assert_eq!(
            fragment_param("#/playground?preset=donut-shop", "preset"),
            Some("donut-shop")
        );
        assert_eq!(
            fragment_param("#/playground?a=1&preset=x", "preset"),
            Some("x")
        );
        assert_eq!(fragment_param("#/playground?presets=x", "preset"), None);
        assert_eq!(fragment_param("#/playground", "preset"), None);
        assert_eq!(fragment_param("#/playground?preset", "preset"), None);
    }

    #[test]
    fn every_view_reads_back_from_its_own_fragment() {
        for view in View::ALL {
            assert_eq!(View::from_fragment(view.fragment()), view);
        }
    }

    #[test]
    fn state_after_the_view_does_not_change_the_view() {
        assert_eq!(View::from_fragment("#/learn?s=abc"), View::Learn);
        assert_eq!(View::from_fragment("#/sign-in&x=1"), View::SignIn);
    }

    #[test]
    fn unknown_or_empty_fragments_open_the_pattern_tester() {
        for fragment in [
            "",
            "#",
            "#/",
            "#/nope",
            "#/LEARN",
            "#learn",
            "#/learn/extra",
        ] {
            assert_eq!(
                View::from_fragment(fragment),
                View::PatternTester,
                "{fragment:?}"
            );
        }
    }
}
