//! The list handling of SpamBlacklist's `SpamRegexBatch`, reproduced step
//! for step (MediaWiki 1.39 `extensions-core/SpamBlacklist/includes/
//! SpamRegexBatch.php`): `stripLines`, the batching of `buildRegexes` and the
//! escaping of each batch.

/// One regex fragment: a line of the list after `stripLines`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fragment {
    /// 1-based line number in the list text.
    pub line: u32,
    /// The line with its comment cut and whitespace trimmed, as written.
    pub text: Vec<u8>,
}

impl Fragment {
    /// `buildRegexes` skips a line whose last byte is a backslash ("Final \
    /// will break silently on the batched regexes").
    pub fn ends_in_backslash(&self) -> bool {
        self.text.last() == Some(&b'\\')
    }
}

/// `stripLines(explode("\n", $text))`: everything from the first `#` is cut
/// (`preg_replace('/#.*$/', '')` on a line without `\n`), the rest is
/// trimmed with PHP's `trim` set, and `array_filter` drops empty lines and
/// lines that are exactly `0`.
pub fn strip_lines(text: &[u8]) -> Vec<Fragment> {
    text.split(|&byte| byte == b'\n')
        .enumerate()
        .filter_map(|(index, line)| {
            let uncommented = line
                .iter()
                .position(|&byte| byte == b'#')
                .map_or(line, |hash| &line[..hash]);
            let trimmed = php_trim(uncommented);
            if trimmed.is_empty() || trimmed == b"0" {
                return None;
            }
            Some(Fragment {
                line: u32::try_from(index + 1).unwrap_or(u32::MAX),
                text: trimmed.to_vec(),
            })
        })
        .collect()
}

/// PHP's `trim()` with its default character set `" \t\n\r\0\x0B"`.
pub fn php_trim(bytes: &[u8]) -> &[u8] {
    let is_space = |byte: &u8| matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | 0x0b);
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |end| end + 1);
    &bytes[start..end]
}

/// `buildRegexes`' default batch size.
pub const BATCH_SIZE: usize = 4096;

/// The fragments of one regex built by `buildRegexes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// Indices into the fragment list, in order.
    pub members: Vec<usize>,
    /// The members joined with `|`, escaped as `buildRegexes` does, or
    /// `None` when the joined text is not valid UTF-8: the `/u`
    /// `preg_replace` then returns null and the batch becomes the empty
    /// group `()`, which matches every URL.
    pub escaped: Option<Vec<u8>>,
}

/// `buildRegexes($lines, $blacklist, $batchSize)`: lines ending in a
/// backslash are skipped; a new batch starts when `strlen($build) +
/// strlen($line) > $batchSize` (so a batch size of 0 gives one regex per
/// line).
pub fn build_batches(fragments: &[Fragment], batch_size: usize) -> Vec<Batch> {
    let mut batches = Vec::new();
    let mut members: Vec<usize> = Vec::new();
    let mut build_len = 0;
    for (index, fragment) in fragments.iter().enumerate() {
        if fragment.ends_in_backslash() {
            continue;
        }
        if !members.is_empty() && build_len + fragment.text.len() > batch_size {
            batches.push(finish_batch(fragments, std::mem::take(&mut members)));
            build_len = 0;
        }
        if !members.is_empty() {
            build_len += 1; // the '|'
        }
        build_len += fragment.text.len();
        members.push(index);
    }
    if !members.is_empty() {
        batches.push(finish_batch(fragments, members));
    }
    batches
}

fn finish_batch(fragments: &[Fragment], members: Vec<usize>) -> Batch {
    let joined = join(fragments, &members);
    let escaped = std::str::from_utf8(&joined)
        .ok()
        .map(|_| escape_slashes(&joined));
    Batch { members, escaped }
}

/// The members' texts joined with `|`.
pub fn join(fragments: &[Fragment], members: &[usize]) -> Vec<u8> {
    let mut joined = Vec::new();
    for (position, &index) in members.iter().enumerate() {
        if position > 0 {
            joined.push(b'|');
        }
        if let Some(fragment) = fragments.get(index) {
            joined.extend_from_slice(&fragment.text);
        }
    }
    joined
}

/// `str_replace('/', '\/', preg_replace('|\\*/|u', '/', $build))`: every
/// run of backslashes before a `/` is removed, then every `/` becomes `\/`.
pub fn escape_slashes(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 8);
    for &byte in text {
        if byte == b'/' {
            while out.last() == Some(&b'\\') {
                out.pop();
            }
            out.extend_from_slice(b"\\/");
        } else {
            out.push(byte);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(fragments: &[Fragment]) -> Vec<(u32, &[u8])> {
        fragments
            .iter()
            .map(|f| (f.line, f.text.as_slice()))
            .collect()
    }

    #[test]
    fn strip_lines_cuts_comments_trims_and_drops_blank_and_zero() {
        let list = b"# header\n foo\\.com  # why\n\n0\n 0 \n00\n\t\x0bbar\0\r\n#\nbaz#qux";
        let got = strip_lines(list);
        assert_eq!(
            texts(&got),
            vec![(2, &b"foo\\.com"[..]), (6, b"00"), (7, b"bar"), (9, b"baz")]
        );
    }

    #[test]
    fn escaping_drops_backslash_runs_before_slash_then_escapes_slashes() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"foo/bar", b"foo\\/bar"),
            (b"foo\\/bar", b"foo\\/bar"),
            (b"foo\\\\\\/bar", b"foo\\/bar"),
            (b"a\\b/", b"a\\b\\/"),
            (b"//", b"\\/\\/"),
            (b"no slash\\", b"no slash\\"),
        ];
        for (input, expected) in cases {
            assert_eq!(escape_slashes(input), expected.to_vec(), "{input:?}");
        }
    }

    fn fragments(lines: &[&[u8]]) -> Vec<Fragment> {
        lines
            .iter()
            .enumerate()
            .map(|(i, text)| Fragment {
                line: i as u32 + 1,
                text: text.to_vec(),
            })
            .collect()
    }

    #[test]
    fn batches_split_on_the_unpadded_length_check_and_skip_trailing_backslash() {
        let list = fragments(&[b"aaaa", b"bbb\\", b"cccc", b"dd", b"e"]);
        let members: Vec<Vec<usize>> = build_batches(&list, 9)
            .into_iter()
            .map(|b| b.members)
            .collect();
        // "aaaa" (4) + "cccc" (4) = 8 <= 9 -> "aaaa|cccc" (9); + "dd" = 11 > 9.
        assert_eq!(members, vec![vec![0, 2], vec![3, 4]]);
        let per_line: Vec<Vec<usize>> = build_batches(&list, 0)
            .into_iter()
            .map(|b| b.members)
            .collect();
        assert_eq!(per_line, vec![vec![0], vec![2], vec![3], vec![4]]);
    }

    #[test]
    fn invalid_utf8_poisons_the_whole_batch() {
        let list = fragments(&[b"ok", b"bad\xff", b"fine/"]);
        let batches = build_batches(&list, BATCH_SIZE);
        assert_eq!(batches.len(), 1);
        assert_eq!(batches[0].escaped, None);
        let per_line = build_batches(&list, 0);
        assert_eq!(per_line[0].escaped, Some(b"ok".to_vec()));
        assert_eq!(per_line[1].escaped, None);
        assert_eq!(per_line[2].escaped, Some(b"fine\\/".to_vec()));
    }
}
