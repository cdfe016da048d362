//! The pagination cursor codec (`openapi::cursor::CursorCodec`):
//!
//! - arbitrary text (the input, lossily as UTF-8) decodes to an id or to an error, never a
//!   panic; and text that decodes is exactly the cursor `encode` issues for that id (one
//!   spelling per cursor);
//! - for an id, a scope and a change taken from the input: `decode(scope, encode(scope, id))`
//!   is `id`; the same cursor under a scope differing in one byte, with one character
//!   changed, or cut short, is refused.
//!
//! - anchored cursors (`encode_anchored`, `peek`, `decode_anchored`): any text peeks without a
//!   panic; a cursor peeks only under the scope it was issued for, is accepted under the
//!   anchor it was issued with and refused under one differing by a byte.
//!
//! - keyed cursors (`encode_keyed`, `decode_keyed`: the case list by deadline): any text
//!   decodes to a key or an error; a key round-trips under its scope only, and a keyed cursor
//!   is neither a plain nor an anchored one.
//!
//! Seeds: `fuzz/seeds/cursor/` (`valid-*` was issued under `KEY` and `SCOPE` below;
//! `valid-v7-id` and `valid-anchored` for 0192f3a4-5b6c-7d8e-9f01-23456789abcd, the latter
//! with the anchor `Andersson\0Johan`; `valid-keyed` for the deadline key of a case due
//! 2026-10-23T08:00Z, admitted 2026-10-22T08:00Z, with that id). Run with `bash reliability/fuzz.sh`.
#![no_main]

use openapi::cursor::CursorCodec;
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;

const KEY: &[u8] = b"fuzz-cursor-key-0123456789abcdef";
const SCOPE: [u8; 32] = [7; 32];
/// The characters of URL-safe base64, the cursor alphabet.
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fuzz_target!(|data: &[u8]| {
    let codec = CursorCodec::new(KEY);

    // Any text: an id or an error. What decodes is the canonical cursor of that id.
    let text = String::from_utf8_lossy(data);
    if let Ok(id) = codec.decode(&SCOPE, &text) {
        let issued = codec.encode(&SCOPE, id).ok();
        assert_eq!(issued.as_deref(), Some(&*text), "{text:?} decoded to {id}");
    }

    // Round trip of an id from the input, under a scope from the input (zeros when the
    // input runs out).
    let mut input = Unstructured::new(data);
    let id = Uuid::from_bytes(input.arbitrary().unwrap_or_default());
    let scope: [u8; 32] = input.arbitrary().unwrap_or_default();
    let changed_byte = usize::from(input.arbitrary::<u8>().unwrap_or_default()) % scope.len();
    let flip = input.arbitrary::<u8>().unwrap_or_default().max(1);
    let changed_char = usize::from(input.arbitrary::<u8>().unwrap_or_default());
    let replacement = ALPHABET[usize::from(input.arbitrary::<u8>().unwrap_or_default()) % 64];
    let cut = usize::from(input.arbitrary::<u8>().unwrap_or_default());

    let cursor = match codec.encode(&scope, id) {
        Ok(cursor) => cursor,
        Err(error) => panic!("encoding {id} failed: {error:?}"),
    };
    assert_eq!(codec.decode(&scope, &cursor).ok(), Some(id), "{cursor:?}");

    let mut other_scope = scope;
    other_scope[changed_byte] ^= flip;
    assert!(
        codec.decode(&other_scope, &cursor).is_err(),
        "{cursor:?} accepted under a scope with byte {changed_byte} changed"
    );

    let mut tampered = cursor.clone().into_bytes();
    let at = changed_char % tampered.len();
    if tampered[at] != replacement {
        tampered[at] = replacement;
        let tampered = String::from_utf8_lossy(&tampered);
        assert!(
            codec.decode(&scope, &tampered).is_err(),
            "{tampered:?} (from {cursor:?}) accepted"
        );
    }

    let short = &cursor[..cut % cursor.len()];
    assert!(codec.decode(&scope, short).is_err(), "{short:?} accepted");

    // Anchored cursors (the caseload's, bound to the row's sort key as well): any text peeks
    // to an id or an error; a round trip holds under the same anchor, and an anchor with one
    // byte changed, added or removed is refused (her name changed).
    let _ = codec.peek(&SCOPE, &text);
    let anchor: Vec<u8> = input.arbitrary().unwrap_or_default();
    let anchored = match codec.encode_anchored(&scope, id, &anchor) {
        Ok(cursor) => cursor,
        Err(error) => panic!("encoding {id} anchored failed: {error:?}"),
    };
    assert_eq!(codec.peek(&scope, &anchored).ok(), Some(id), "{anchored:?}");
    assert!(codec.peek(&other_scope, &anchored).is_err(), "{anchored:?} peeked under another scope");
    assert_eq!(
        codec.decode_anchored(&scope, &anchored, &anchor).ok(),
        Some(id),
        "{anchored:?}"
    );
    let mut moved = anchor.clone();
    match moved.get_mut(changed_char % anchor.len().max(1)) {
        Some(byte) => *byte ^= flip,
        None => moved.push(flip),
    }
    assert!(
        codec.decode_anchored(&scope, &anchored, &moved).is_err(),
        "{anchored:?} accepted for {moved:?} (issued for {anchor:?})"
    );
    let mut longer = anchor.clone();
    longer.push(0);
    assert!(codec.decode_anchored(&scope, &anchored, &longer).is_err());

    // Keyed cursors (a sort key computed per request, carried in the cursor itself).
    if let Ok(key) = codec.decode_keyed(&SCOPE, &text) {
        let issued = codec.encode_keyed(&SCOPE, &key).ok();
        assert_eq!(issued.as_deref(), Some(&*text), "{text:?} decoded to {key:?}");
    }
    let mut key = anchor;
    key.push(flip);
    let keyed = match codec.encode_keyed(&scope, &key) {
        Ok(cursor) => cursor,
        Err(error) => panic!("encoding the key {key:?} failed: {error:?}"),
    };
    assert_eq!(codec.decode_keyed(&scope, &keyed).ok(), Some(key), "{keyed:?}");
    assert!(codec.decode_keyed(&other_scope, &keyed).is_err());
    assert!(codec.decode(&scope, &keyed).is_err() && codec.peek(&scope, &keyed).is_err());
    assert!(codec.decode_keyed(&scope, &cursor).is_err());
    assert!(codec.decode_keyed(&scope, &anchored).is_err());
});
