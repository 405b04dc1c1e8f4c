//! A minimal, safe wrapper over PCRE2 (the library PHP's `preg_*` uses) for
//! the two things the linear engine cannot do alone:
//!
//! * deciding whether PHP would accept a regex, exactly as PHP's PCRE2 10.42
//!   does (batch validation, bad lines), and
//! * running the few "fallback" fragments that use PCRE-only syntax
//!   (look-around), with a match limit and a depth limit like PHP's
//!   `pcre.backtrack_limit` / `pcre.recursion_limit`.
//!
//! Patterns are compiled without `PCRE2_UTF`, like SpamBlacklist's regexes
//! (no `/u`): they match bytes, and `\b`, `\w` and caseless matching are
//! ASCII-only.

use std::ptr;

use pcre2_sys::{
    pcre2_code_8, pcre2_code_free_8, pcre2_compile_8, pcre2_config_8, pcre2_get_error_message_8,
    pcre2_get_ovector_pointer_8, pcre2_jit_compile_8, pcre2_match_8, pcre2_match_context_8,
    pcre2_match_context_create_8, pcre2_match_context_free_8, pcre2_match_data_8,
    pcre2_match_data_create_from_pattern_8, pcre2_match_data_free_8, pcre2_set_depth_limit_8,
    pcre2_set_match_limit_8, PCRE2_CASELESS, PCRE2_CONFIG_VERSION, PCRE2_ERROR_NOMATCH,
    PCRE2_JIT_COMPLETE, PCRE2_MULTILINE,
};

/// PHP's default `pcre.backtrack_limit`.
pub const DEFAULT_MATCH_LIMIT: u32 = 1_000_000;
/// PHP's default `pcre.recursion_limit`.
pub const DEFAULT_DEPTH_LIMIT: u32 = 100_000;

/// The version of the PCRE2 library linked in, as PHP's `PCRE_VERSION`
/// gives its own ("10.42 2022-12-11"). The two must be the same library
/// for a pattern to be refused exactly where PHP refuses it: pcre2-sys links the
/// system's when `pkg-config` finds `libpcre2-8` and otherwise compiles a
/// bundled, newer PCRE2 whose error offsets differ (`build.rs` refuses to
/// build without the system's).
pub fn library_version() -> String {
    // "10.42 2022-12-11" plus NUL; PCRE2 writes at most what fits.
    let mut buffer = [0u8; 64];
    // SAFETY: PCRE2_CONFIG_VERSION writes a NUL-terminated string of at
    // most 24 code units to a buffer that holds 64.
    let written = unsafe { pcre2_config_8(PCRE2_CONFIG_VERSION, buffer.as_mut_ptr().cast()) };
    let len = usize::try_from(written).unwrap_or(0).saturating_sub(1);
    String::from_utf8_lossy(&buffer[..len.min(buffer.len())]).into_owned()
}

/// The spans of a match's groups, group 0 first; `None` for a group that
/// did not take part.
pub type Groups = Vec<Option<(usize, usize)>>;

/// A compiled PCRE2 pattern (caseless + multi-line, bytes).
pub struct Pcre {
    code: *mut pcre2_code_8,
    match_limit: u32,
    depth_limit: u32,
}

// SAFETY: a compiled (and JIT-compiled) pcre2_code is read-only and may be
// used by several threads at once (PCRE2 documentation, "Multithreading");
// every match gets its own match data and match context.
unsafe impl Send for Pcre {}
// SAFETY: as above.
unsafe impl Sync for Pcre {}

impl std::fmt::Debug for Pcre {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pcre").finish_non_exhaustive()
    }
}

/// Why a PCRE2 pattern was refused: the library's message and the offset in
/// the pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// PCRE2's error message.
    pub message: String,
    /// Byte offset in the pattern where PCRE2 stopped.
    pub offset: usize,
}

/// The outcome of a match attempt that PCRE2 could not finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitError {
    /// The PCRE2 error code (match limit, depth limit, JIT stack, heap).
    pub code: i32,
}

impl Pcre {
    /// Compiles `pattern` with `PCRE2_CASELESS | PCRE2_MULTILINE` (PHP's
    /// `/im`; `/S` changes nothing since PCRE2) and, with `jit`,
    /// JIT-compiles it when the JIT is available (as PHP does with
    /// `pcre.jit=1`).
    pub fn new(
        pattern: &[u8],
        match_limit: u32,
        depth_limit: u32,
        jit: bool,
    ) -> Result<Pcre, CompileError> {
        let mut error_code = 0;
        let mut error_offset = 0;
        // SAFETY: pattern is a valid slice of the given length (NUL bytes
        // allowed: PCRE2 takes the length); the out-pointers are valid.
        let code = unsafe {
            pcre2_compile_8(
                pattern.as_ptr(),
                pattern.len(),
                PCRE2_CASELESS | PCRE2_MULTILINE,
                &mut error_code,
                &mut error_offset,
                ptr::null_mut(),
            )
        };
        if code.is_null() {
            return Err(CompileError {
                message: error_message(error_code),
                offset: error_offset,
            });
        }
        if jit {
            // SAFETY: code is a valid compiled pattern. A JIT failure is not
            // an error: pcre2_match then interprets the pattern.
            unsafe { pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE) };
        }
        Ok(Pcre {
            code,
            match_limit,
            depth_limit,
        })
    }

    /// The first match at or after `start`, as the spans of the groups
    /// (group 0 first; `None` for a group that did not take part).
    pub fn find_at(&self, subject: &[u8], start: usize) -> Result<Option<Groups>, LimitError> {
        let scratch = Scratch::new(self)?;
        // SAFETY: code, match data and context are valid; subject is a valid
        // slice and start <= its length (checked by the caller's loop: PCRE2
        // itself returns an error code for a bad offset).
        let rc = unsafe {
            pcre2_match_8(
                self.code,
                subject.as_ptr(),
                subject.len(),
                start.min(subject.len()),
                0,
                scratch.data,
                scratch.context,
            )
        };
        if rc == PCRE2_ERROR_NOMATCH {
            return Ok(None);
        }
        if rc < 0 {
            return Err(LimitError { code: rc });
        }
        // rc is the number of pairs set (0 would mean the vector was too
        // small, impossible with match data made from the pattern).
        let pairs = usize::try_from(rc).unwrap_or(0);
        // SAFETY: the ovector holds at least `pairs` pairs after a match.
        let ovector = unsafe {
            std::slice::from_raw_parts(pcre2_get_ovector_pointer_8(scratch.data), pairs * 2)
        };
        Ok(Some(
            ovector
                .chunks_exact(2)
                .map(|pair| match pair {
                    [start, end] if *start != usize::MAX => Some((*start, *end)),
                    _ => None,
                })
                .collect(),
        ))
    }

    /// Whether the pattern matches anywhere in `subject`.
    pub fn is_match(&self, subject: &[u8]) -> Result<bool, LimitError> {
        Ok(self.find_at(subject, 0)?.is_some())
    }
}

impl Drop for Pcre {
    fn drop(&mut self) {
        // SAFETY: code came from pcre2_compile_8 and is freed once.
        unsafe { pcre2_code_free_8(self.code) };
    }
}

/// Per-match scratch: match data and a match context carrying the limits.
struct Scratch {
    data: *mut pcre2_match_data_8,
    context: *mut pcre2_match_context_8,
}

/// PCRE2's "no memory" error code, reported when scratch allocation fails.
const PCRE2_ERROR_NOMEMORY: i32 = -48;

impl Scratch {
    fn new(pcre: &Pcre) -> Result<Scratch, LimitError> {
        // SAFETY: plain allocations; null is checked below and freed in Drop.
        let scratch = unsafe {
            Scratch {
                data: pcre2_match_data_create_from_pattern_8(pcre.code, ptr::null_mut()),
                context: pcre2_match_context_create_8(ptr::null_mut()),
            }
        };
        if scratch.data.is_null() || scratch.context.is_null() {
            return Err(LimitError {
                code: PCRE2_ERROR_NOMEMORY,
            });
        }
        // SAFETY: context is valid.
        unsafe {
            pcre2_set_match_limit_8(scratch.context, pcre.match_limit);
            pcre2_set_depth_limit_8(scratch.context, pcre.depth_limit);
        }
        Ok(scratch)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // SAFETY: both came from the matching create functions (the free
        // functions accept null).
        unsafe {
            pcre2_match_data_free_8(self.data);
            pcre2_match_context_free_8(self.context);
        }
    }
}

fn error_message(code: i32) -> String {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is valid for its length.
    let len = unsafe { pcre2_get_error_message_8(code, buffer.as_mut_ptr(), buffer.len()) };
    match usize::try_from(len) {
        Ok(len) => String::from_utf8_lossy(buffer.get(..len).unwrap_or(&[])).into_owned(),
        Err(_) => format!("PCRE2 error {code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_like_php_and_reports_errors_with_offsets() {
        assert!(Pcre::new(b"(?<=//|\\.)x\\.co\\b", 1000, 1000, true).is_ok());
        let error = Pcre::new(b"[\\d-z]", 1000, 1000, true).unwrap_err();
        assert_eq!(error.offset, 3);
        assert!(error.message.contains("invalid range"), "{}", error.message);
        assert!(Pcre::new(b"a\0b", 1000, 1000, true).is_ok());
    }

    #[test]
    fn matches_bytes_caseless_ascii_multiline() {
        let re = Pcre::new(b"^foo\\b", 1000, 1000, true).unwrap();
        assert_eq!(re.is_match(b"x\nFOO bar"), Ok(true));
        assert_eq!(re.is_match(b"x\nfoobar"), Ok(false));
        let spans = re.find_at(b"x\nFOO", 0).unwrap().unwrap();
        assert_eq!(spans, vec![Some((2, 5))]);
    }

    #[test]
    fn catastrophic_pattern_reports_the_limit_instead_of_no_match() {
        let re = Pcre::new(b"(a+)+$", DEFAULT_MATCH_LIMIT, DEFAULT_DEPTH_LIMIT, true).unwrap();
        let mut subject = vec![b'a'; 5000];
        subject.push(b'!');
        assert!(re.is_match(&subject).is_err());
    }
}
