//! Raw reads of Zend values on per-element paths, where ext-php-rs's safe
//! accessors cost more than the work itself (its array iterator goes
//! through the engine's iterator API, about 40 ns per element; `get_type()`
//! decodes every flag). Layouts are PHP 8.2's (Zend/zend_types.h,
//! Zend/zend_hash.h).

use ext_php_rs::types::{ZendHashTable, Zval};

/// Zend type codes.
pub const IS_UNDEF: u8 = 0;
pub const IS_STRING: u8 = 6;
pub const IS_REFERENCE: u8 = 10;

/// `IS_STR_INTERNED | IS_STR_PERMANENT` in a zend_string's type info.
pub const INTERNED_FLAGS: u32 = (1 << 6) | (1 << 8);
/// A zval's type info for an interned string: `IS_STRING` without the
/// refcounted flag (`IS_INTERNED_STRING_EX`).
pub const IS_INTERNED_STRING_EX: u32 = IS_STRING as u32;
/// A zval's type info for an immutable array: `IS_ARRAY` without the
/// refcounted and collectable flags (what OPcache gives its arrays).
pub const IS_IMMUTABLE_ARRAY: u32 = 7;
/// `GC_IMMUTABLE` (`IS_ARRAY_IMMUTABLE`) in a zend_array's type info: its
/// count is never touched and it never changes.
pub const GC_IMMUTABLE: u32 = 1 << 6;

/// A zval's type code.
pub fn type_byte(zval: &Zval) -> u8 {
    // SAFETY: every zval's `u1.type_info` is initialized; its low byte is the type.
    (unsafe { zval.u1.type_info } & 0xff) as u8
}

/// The element zvals of a PHP array in order, as stored: a PHP reference
/// (`[&$x]`) is returned as the reference, not its target.
pub fn array_slots(array: &ZendHashTable) -> impl Iterator<Item = &Zval> {
    /// `HASH_FLAG_PACKED`.
    const HASH_FLAG_PACKED: u32 = 1 << 2;
    // SAFETY: a live array borrowed for the iterator's lifetime; `nNumUsed`
    // slots of `arPacked` (packed) or `arData` (hash) are initialized, and
    // deleted slots are IS_UNDEF, which is skipped.
    let packed = unsafe { array.u.flags } & HASH_FLAG_PACKED != 0;
    let used = array.nNumUsed as usize;
    let storage = unsafe { array.__bindgen_anon_1.arPacked }
        .cast::<u8>()
        .cast_const();
    (0..used).filter_map(move |i| {
        let zval: &Zval = if packed {
            unsafe { &*storage.cast::<Zval>().add(i) }
        } else {
            unsafe { &(*storage.cast::<ext_php_rs::ffi::Bucket>().add(i)).val }
        };
        (type_byte(zval) != IS_UNDEF).then_some(zval)
    })
}

/// The values of a PHP array in order, references followed.
pub fn array_values(array: &ZendHashTable) -> impl Iterator<Item = &Zval> {
    array_slots(array).map(|zval| {
        if type_byte(zval) == IS_REFERENCE {
            zval.dereference()
        } else {
            zval
        }
    })
}

/// The bytes of a string zval, without conversions.
pub fn string_bytes(zval: &Zval) -> Option<&[u8]> {
    if type_byte(zval) != IS_STRING {
        return None;
    }
    // SAFETY: an IS_STRING zval holds a valid zend_string pointer.
    unsafe { zval.value.str_.as_ref() }.map(|s| s.as_bytes())
}
