//! The steps of the flow as a sequence diagram draws them: who sends what to whom, with the
//! request or response as text. The actors are the curriculum's: the user, the browser with the
//! client app, the authorization server (Cognito) and the resource server (an API).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    User,
    Client,
    AuthServer,
    ResourceServer,
}

impl Actor {
    pub const ALL: [Actor; 4] = [
        Actor::User,
        Actor::Client,
        Actor::AuthServer,
        Actor::ResourceServer,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Actor::User => "User",
            Actor::Client => "Browser / client app",
            Actor::AuthServer => "Authorization server (Cognito)",
            Actor::ResourceServer => "Resource server (API)",
        }
    }

    /// Column, from 1.
    pub fn column(self) -> usize {
        match self {
            Actor::User => 1,
            Actor::Client => 2,
            Actor::AuthServer => 3,
            Actor::ResourceServer => 4,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub from: Actor,
    pub to: Actor,
    pub title: String,
    /// The URL, form body or JSON of the step.
    pub detail: String,
    /// A refused request or a check that failed.
    pub failed: bool,
}

impl Step {
    pub fn new(from: Actor, to: Actor, title: String, detail: String, failed: bool) -> Step {
        Step {
            from,
            to,
            title,
            detail,
            failed,
        }
    }

    /// The CSS class placing the arrow: `seq-2-3` spans columns 2 to 3, `seq-3-3` is a note.
    pub fn span_class(&self) -> String {
        let (a, b) = (self.from.column(), self.to.column());
        format!("seq-{}-{}", a.min(b), a.max(b))
    }

    /// "→" or "←", as the arrow points.
    pub fn direction(&self) -> &'static str {
        use std::cmp::Ordering;
        match self.from.column().cmp(&self.to.column()) {
            Ordering::Less => "→",
            Ordering::Greater => "←",
            Ordering::Equal => "↻",
        }
    }

    /// What a screen reader hears: "Browser / client app to Authorization server: POST ...".
    pub fn label(&self) -> String {
        if self.from == self.to {
            format!("{}: {}", self.from.name(), self.title)
        } else {
            format!("{} to {}: {}", self.from.name(), self.to.name(), self.title)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_span_between_their_actors() {
        let step = Step::new(
            Actor::AuthServer,
            Actor::Client,
            "302".into(),
            String::new(),
            false,
        );
        assert_eq!(step.span_class(), "seq-2-3");
        assert_eq!(step.direction(), "←");
        assert_eq!(
            step.label(),
            "Authorization server (Cognito) to Browser / client app: 302"
        );
        let note = Step::new(
            Actor::Client,
            Actor::Client,
            "checks".into(),
            String::new(),
            true,
        );
        assert_eq!(note.span_class(), "seq-2-2");
    }
}
