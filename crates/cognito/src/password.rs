//! The pool's password policy with Cognito's `InvalidPasswordException` messages, and the
//! stored form of a password: a salted PBKDF2-HMAC-SHA256 hash the shell computes.
//!
//! Policy: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
//! (6 to 99 characters; numbers, lower-case, upper-case and these symbols:
//! `^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -` and the space,
//! neither leading nor trailing).

use serde::{Deserialize, Serialize};

use eventyard_template::PasswordPolicy;

/// OWASP Password Storage Cheat Sheet, PBKDF2 section: "use PBKDF2 with a work factor of
/// 600,000 or more and set with an internal hash function of HMAC-SHA-256"
/// (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#pbkdf2).
pub const PBKDF2_ITERATIONS: u32 = 600_000;

/// Bytes of salt (OWASP's salting section: unique per password; 16 bytes is ample).
pub const SALT_BYTES: usize = 16;

const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// A password as the store keeps it: never the password itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordHash {
    /// base64 (standard) of the salt.
    pub salt: String,
    pub iterations: u32,
    /// base64 (standard) of the 32 derived bytes.
    pub hash: String,
}

/// Cognito's message for the first rule the password breaks
/// ("Password did not conform with policy: ..."), or `None` when it conforms. The texts are
/// InvalidPasswordException's; the order the rules are checked in is this crate's choice.
pub fn check(policy: &PasswordPolicy, password: &str) -> Option<String> {
    let reason = if (password.chars().count() as u64) < policy.minimum_length {
        "Password not long enough"
    } else if policy.require_uppercase && !password.chars().any(|c| c.is_ascii_uppercase()) {
        "Password must have uppercase characters"
    } else if policy.require_lowercase && !password.chars().any(|c| c.is_ascii_lowercase()) {
        "Password must have lowercase characters"
    } else if policy.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        "Password must have numeric characters"
    } else if policy.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
        "Password must have symbol characters"
    } else {
        return None;
    };
    Some(format!("Password did not conform with policy: {reason}"))
}

/// The policy in a sentence, as the sign-up page lists it.
pub fn describe(policy: &PasswordPolicy) -> Vec<String> {
    let mut rules = vec![format!("At least {} characters", policy.minimum_length)];
    if policy.require_numbers {
        rules.push("Contains at least 1 number".into());
    }
    if policy.require_lowercase {
        rules.push("Contains at least 1 lowercase letter".into());
    }
    if policy.require_uppercase {
        rules.push("Contains at least 1 uppercase letter".into());
    }
    if policy.require_symbols {
        rules.push("Contains at least 1 special character".into());
    }
    rules
}

/// Compare two hashes in time that does not depend on where they differ.
pub fn same_hash(a: &str, b: &str) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.bytes()
        .zip(b.bytes())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_default(password: &str) -> Option<String> {
        check(&PasswordPolicy::default(), password)
    }

    /// InvalidPasswordException texts (SignUp API reference; user-pool-settings-policies).
    #[test]
    fn messages_name_the_first_rule_broken() {
        assert_eq!(
            check_default("Ab1!").as_deref(),
            Some("Password did not conform with policy: Password not long enough")
        );
        assert_eq!(
            check_default("abcdefg1!").as_deref(),
            Some("Password did not conform with policy: Password must have uppercase characters")
        );
        assert_eq!(
            check_default("ABCDEFG1!").as_deref(),
            Some("Password did not conform with policy: Password must have lowercase characters")
        );
        assert_eq!(
            check_default("Abcdefgh!").as_deref(),
            Some("Password did not conform with policy: Password must have numeric characters")
        );
        assert_eq!(
            check_default("Abcdefgh1").as_deref(),
            Some("Password did not conform with policy: Password must have symbol characters")
        );
        assert_eq!(check_default("Abcdefg1!"), None);
        let lenient = PasswordPolicy {
            minimum_length: 6,
            require_lowercase: false,
            require_uppercase: false,
            require_numbers: false,
            require_symbols: false,
            temporary_password_validity_days: 7,
        };
        assert_eq!(check(&lenient, "aaaaaa"), None);
        assert_eq!(describe(&lenient), ["At least 6 characters"]);
    }

    #[test]
    fn hashes_compare_whole() {
        assert!(same_hash("abc", "abc"));
        assert!(!same_hash("abc", "abd"));
        assert!(!same_hash("abc", "ab"));
    }
}
