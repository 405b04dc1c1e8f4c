//! The `WikiGuard\Exception` hierarchy.
//!
//! Every error WikiGuard raises on purpose is a subclass of
//! `WikiGuard\Exception` (itself an `\Exception`), so a caller can catch the
//! whole family at once or one kind precisely. A Rust panic is not one of
//! them: ext-php-rs turns it into a `\Error` whose message starts with
//! `Rust panic: `, and the worker goes on.
//!
//! The classes are registered as plain internal subclasses of `\Exception`
//! (not as Rust-backed `#[php_class]` objects), so they keep `\Exception`'s
//! constructor and properties: PHP code can create, extend and serialize
//! them like any other exception.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::exception::PhpException;
use ext_php_rs::zend::{ce, ClassEntry};

type RegistrationFn = fn(&'static mut ClassEntry, ext_php_rs::args::ArgInfoTables);

/// The kinds of error WikiGuard throws, one PHP class each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `WikiGuard\Exception`: the root; used where no narrower kind fits.
    Base,
    /// `WikiGuard\InvalidPatternException`: a pattern list or a pattern in
    /// it cannot be used; the message names the line.
    InvalidPattern,
    /// `WikiGuard\DatabaseException`: a database file is missing,
    /// unreadable or corrupt; the message names the file and the offset.
    Database,
    /// `WikiGuard\InvalidInputException`: an argument is outside what the
    /// function accepts (too large, malformed); the message says which.
    InvalidInput,
}

const BASE_CLASS: &str = "WikiGuard\\Exception";

impl ErrorKind {
    const ALL: [ErrorKind; 4] = [
        ErrorKind::Base,
        ErrorKind::InvalidPattern,
        ErrorKind::Database,
        ErrorKind::InvalidInput,
    ];

    /// The PHP class name.
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Base => BASE_CLASS,
            ErrorKind::InvalidPattern => "WikiGuard\\InvalidPatternException",
            ErrorKind::Database => "WikiGuard\\DatabaseException",
            ErrorKind::InvalidInput => "WikiGuard\\InvalidInputException",
        }
    }

    /// A PHP exception of this kind with `message`.
    pub fn exception(self, message: impl Into<String>) -> PhpException {
        // Looked up on each throw rather than cached: class entries must not
        // outlive a module restart (FrankenPHP), and this is the error path.
        let class = ClassEntry::try_find(self.class_name()).unwrap_or_else(ce::exception);
        PhpException::new(message.into(), 0, class)
    }
}

/// The base class entry while MINIT registers its subclasses: the class
/// table cannot be searched before the executor starts, and `extends` takes a
/// plain `fn`, so the entry is parked here for the duration of [`register`].
static BASE_DURING_MINIT: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());

fn base_class() -> &'static ClassEntry {
    // SAFETY: the pointer is either null or the entry the engine gave to the
    // base class's registration callback, valid until module shutdown.
    unsafe { BASE_DURING_MINIT.load(Ordering::Acquire).as_ref() }.unwrap_or_else(ce::exception)
}

/// Registers the hierarchy, parents first. Call from MINIT; returns false
/// (and the module fails to start) if the engine refuses a class.
pub fn register() -> bool {
    let registered = catch_unwind(AssertUnwindSafe(|| {
        ErrorKind::ALL.iter().all(|kind| {
            let (parent, registration): (fn() -> &'static ClassEntry, RegistrationFn) = match kind {
                ErrorKind::Base => (ce::exception, |class, _tables| {
                    BASE_DURING_MINIT.store(class, Ordering::Release);
                }),
                _ => (base_class, |_class, _tables| {}),
            };
            // No methods, so the argument-info tables are empty and need no
            // keeping.
            ClassBuilder::new(kind.class_name())
                .extends((parent, "\\Exception"))
                .registration(registration)
                .register()
                .is_ok()
        })
    }))
    .unwrap_or(false);
    BASE_DURING_MINIT.store(std::ptr::null_mut(), Ordering::Release);
    registered
}
