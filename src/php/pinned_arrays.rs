//! Recognising, by its address, a PHP array already compiled in this request.
//!
//! A function that compiles an array argument (`IPUtils::isInRanges`' range
//! list) finds the compiled form in the registry by hashing every element;
//! for 1,000 ranges that costs more than the lookup itself, and callers pass
//! the same array call after call. [`PinnedArrays`] remembers the last few
//! arrays by address, each with what was compiled from it.
//!
//! An address alone says nothing about the contents, so every remembered
//! array is *pinned*: the cache holds a counted reference to it. An array
//! with a reference count above one is never changed in place — PHP's
//! copy-on-write gives the writer a copy first — so while the pin lasts, the
//! array at that address holds exactly the elements that were compiled, and
//! the address cannot be reused by another array. Immutable arrays (literals
//! cached by opcache) are not counted and never change. One case escapes
//! the rule and is never pinned: an array holding a PHP reference (`[&$x]`),
//! since assigning to `$x` changes the element without touching the array.
//!
//! Request memory is freed when the request ends, so every pin is released
//! then ([`PinnedArrays::clear`], called from the module's request
//! shutdown). A cache holds at most [`CAPACITY`] arrays; the oldest is
//! released first.

use std::cell::RefCell;
use std::sync::Arc;

use ext_php_rs::convert::FromZval;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::zend::{array_slots, type_byte, IS_REFERENCE};

/// Arrays remembered per cache.
pub const CAPACITY: usize = 4;

/// An `array` argument that keeps its zval, so that it can be pinned.
pub struct ArrayArg<'a> {
    zval: &'a Zval,
    array: &'a ZendHashTable,
}

impl<'a> ArrayArg<'a> {
    /// The array.
    pub fn array(&self) -> &'a ZendHashTable {
        self.array
    }
}

impl<'a> FromZval<'a> for ArrayArg<'a> {
    const TYPE: DataType = DataType::Array;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let zval = zval.dereference();
        let array = zval.array()?;
        Some(ArrayArg { zval, array })
    }
}

/// A pinned array and what was compiled from it.
struct Pin<T> {
    /// A counted copy of the argument's zval.
    array: Zval,
    compiled: Arc<T>,
}

/// The last [`CAPACITY`] arrays compiled to a `T`, most recent first.
pub struct PinnedArrays<T> {
    pins: RefCell<Vec<Pin<T>>>,
}

impl<T> PinnedArrays<T> {
    pub const fn new() -> Self {
        PinnedArrays {
            pins: RefCell::new(Vec::new()),
        }
    }

    /// What was compiled from `arg`'s array earlier in this request, if it
    /// is still pinned.
    pub fn get(&self, arg: &ArrayArg<'_>) -> Option<Arc<T>> {
        let pins = self.pins.borrow();
        pins.iter()
            .find(|pin| {
                pin.array
                    .array()
                    .is_some_and(|pinned| std::ptr::eq(pinned, arg.array))
            })
            .map(|pin| Arc::clone(&pin.compiled))
    }

    /// Remembers that `compiled` was built from `arg`'s array, unless an
    /// element of it is a PHP reference (see the module documentation).
    pub fn insert(&self, arg: &ArrayArg<'_>, compiled: Arc<T>) {
        if array_slots(arg.array).any(|value| type_byte(value) == IS_REFERENCE) {
            return;
        }
        let Ok(mut pins) = self.pins.try_borrow_mut() else {
            return;
        };
        if pins.len() == CAPACITY {
            // Dropping the zval releases the pin (and frees the array if
            // the cache held the last reference).
            pins.pop();
        }
        pins.insert(
            0,
            Pin {
                // One more counted holder (none for an immutable array),
                // released when the zval is dropped.
                array: arg.zval.shallow_clone(),
                compiled,
            },
        );
    }

    /// Releases every pin.
    pub fn clear(&self) {
        // Taken out first, so that no borrow is held while arrays are freed.
        let released = std::mem::take(&mut *self.pins.borrow_mut());
        drop(released);
    }
}
