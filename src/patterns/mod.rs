//! Spam-pattern matching: the lists of SpamBlacklist, EmailBlacklist and
//! TitleBlacklist, and AbuseFilter's keyword functions, on linear-time
//! engines, with the exact answers of the PHP code they replace.

pub mod keywords;
pub mod pcre_utf;
pub mod spam;
pub mod title;
