//! Pagination cursors: the last id of a page, bound to the list and filters it was issued for
//! (a 32-byte scope), encrypted and authenticated with AES-SIV (RFC 5297, deterministic
//! authenticated encryption; the scope is its associated data) under a key the server keeps,
//! in URL-safe base64 without padding (RFC 4648 §5). A changed, truncated or foreign cursor is
//! refused.
//!
//! Encrypted, not only signed: a page's last row can be one the caller is not shown (a person
//! she may not see, a case conference her block hides), and a signed cursor carried its id in
//! the clear — reviews read hidden ids from `next` more than once (decision 0029). A cursor is
//! 32 bytes (the 16-byte synthetic IV, then the id encrypted), as the signed one was; the same
//! row under the same scope always gives the same cursor. Here rather than in `api`, so the
//! fuzz target needs no server.

use aes_siv::KeyInit;
use aes_siv::siv::Aes256Siv;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{FieldErrors, ValidationFailed};

/// Bytes of an AES-256-SIV key (two AES-256 keys, RFC 5297 §2.2).
const SIV_KEY_BYTES: usize = 64;
/// Bytes of the synthetic IV that leads every cursor (RFC 5297 §2.6).
const IV_BYTES: usize = 16;
/// Bytes of an anchored cursor's digest of the row's sort key (128 bits: beyond guessing).
const ANCHOR_BYTES: usize = 16;
/// HKDF (RFC 5869) `info` for the cursor key: the stored setting is expanded for this use
/// only, so the same setting never keys anything else.
const KEY_INFO: &[u8] = b"smartcare pagination cursor AES-256-SIV v2";
/// A second associated-data component for anchored cursors, so a plain cursor and an anchored
/// one are never interchangeable.
const ANCHORED_AD: &[u8] = b"anchored";

/// Issues and checks cursors.
pub struct CursorCodec {
    key: [u8; SIV_KEY_BYTES],
}

impl CursorCodec {
    /// A codec under `secret` (the stored setting's bytes), expanded with HKDF-SHA-256.
    pub fn new(secret: &[u8]) -> Self {
        let mut key = [0u8; SIV_KEY_BYTES];
        // 64 bytes is far below HKDF-SHA-256's limit (255 × 32), so expansion cannot fail.
        let _ = Hkdf::<Sha256>::new(None, secret).expand(KEY_INFO, &mut key);
        Self { key }
    }

    fn cipher(&self) -> Aes256Siv {
        Aes256Siv::new(&self.key.into())
    }

    fn seal(&self, headers: &[&[u8]], plaintext: &[u8]) -> Result<String, String> {
        let sealed = self
            .cipher()
            .encrypt(headers, plaintext)
            .map_err(|e| format!("cursor encryption: {e}"))?;
        Ok(URL_SAFE_NO_PAD.encode(sealed))
    }

    /// The plaintext of `cursor` if it was sealed under this key with `headers`.
    fn open(&self, headers: &[&[u8]], cursor: &str) -> Option<Vec<u8>> {
        let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
        if bytes.len() <= IV_BYTES {
            return None;
        }
        self.cipher().decrypt(headers, &bytes).ok()
    }

    /// The cursor for the page after `after` in the list and filters identified by `scope`.
    /// Public for the fuzz targets in `fuzz/`.
    pub fn encode(&self, scope: &[u8; 32], after: Uuid) -> Result<String, String> {
        self.seal(&[scope], after.as_bytes())
    }

    /// The id a cursor carries, if `cursor` is one [`Self::encode`] issued under this key for
    /// `scope`; otherwise the problem naming `cursor` (a 400). Public for the fuzz targets in `fuzz/`.
    pub fn decode(&self, scope: &[u8; 32], cursor: &str) -> Result<Uuid, ValidationFailed> {
        self.open(&[scope], cursor)
            .and_then(|plain| Uuid::from_slice(&plain).ok())
            .ok_or_else(|| refused(NOT_ISSUED))
    }
}

/// Lists whose order is by something that can change under a cursor (the caseload: by name)
/// bind their cursor to the sort key of the page's last row as well: the cursor carries a
/// digest of that key next to the id, so a cursor whose row has moved since (she was renamed)
/// is refused rather than read from her new place, which would pass over every row between
/// her old and new place.
fn anchor_digest(anchor: &[u8]) -> [u8; ANCHOR_BYTES] {
    let full = Sha256::digest(anchor);
    let mut digest = [0u8; ANCHOR_BYTES];
    digest.copy_from_slice(&full[..ANCHOR_BYTES]);
    digest
}

impl CursorCodec {
    /// The cursor for the page after `after`, whose sort key is `anchor` (bytes that change
    /// when the row moves in the list's order), in the list and filters `scope` identifies.
    pub fn encode_anchored(
        &self,
        scope: &[u8; 32],
        after: Uuid,
        anchor: &[u8],
    ) -> Result<String, String> {
        let mut plain = after.as_bytes().to_vec();
        plain.extend_from_slice(&anchor_digest(anchor));
        self.seal(&[scope, ANCHORED_AD], &plain)
    }

    /// The id an anchored cursor issued for `scope` carries, to look up the row's sort key,
    /// which [`Self::decode_anchored`] then checks the cursor against. A cursor this list did
    /// not issue is refused here (400 naming `cursor`).
    pub fn peek(&self, scope: &[u8; 32], cursor: &str) -> Result<Uuid, ValidationFailed> {
        self.open_anchored(scope, cursor)
            .map(|(id, _)| id)
            .ok_or_else(|| refused(NOT_ISSUED))
    }

    fn open_anchored(&self, scope: &[u8; 32], cursor: &str) -> Option<(Uuid, [u8; ANCHOR_BYTES])> {
        let plain = self.open(&[scope, ANCHORED_AD], cursor)?;
        let (id, digest) = plain.split_at_checked(16)?;
        Some((Uuid::from_slice(id).ok()?, digest.try_into().ok()?))
    }

    /// The id `cursor` carries if [`Self::encode_anchored`] issued it for `scope` with
    /// `anchor` as the row's sort key now; otherwise a 400 naming `cursor` that says the row
    /// may have moved (her name changed) and to start again.
    pub fn decode_anchored(
        &self,
        scope: &[u8; 32],
        cursor: &str,
        anchor: &[u8],
    ) -> Result<Uuid, ValidationFailed> {
        self.open_anchored(scope, cursor)
            .filter(|(_, digest)| *digest == anchor_digest(anchor))
            .map(|(id, _)| id)
            .ok_or_else(|| refused(ANCHORED_REFUSAL))
    }
}

/// Lists whose order is computed per request rather than stored (the coordination cases by
/// their next deadline) cannot look their cursor's row up by a stored key, and their rows
/// move whenever the case does (an answer moves its deadline). Their cursor carries the page's
/// last sort key itself, encrypted like the id of a plain cursor, and the next page continues
/// after that key wherever the row has moved since: every row that kept its place is shown, a
/// row moved past the cursor may be shown again, one moved before it is not shown.
const KEYED_AD: &[u8] = b"keyed";

impl CursorCodec {
    /// The cursor for the page after the row whose sort key is `key` (bytes in the list's
    /// order, not empty), in the list and filters `scope` identifies.
    pub fn encode_keyed(&self, scope: &[u8; 32], key: &[u8]) -> Result<String, String> {
        self.seal(&[scope, KEYED_AD], key)
    }

    /// The sort key a cursor carries, if [`Self::encode_keyed`] issued it under this key for
    /// `scope`; otherwise the problem naming `cursor` (a 400).
    pub fn decode_keyed(
        &self,
        scope: &[u8; 32],
        cursor: &str,
    ) -> Result<Vec<u8>, ValidationFailed> {
        self.open(&[scope, KEYED_AD], cursor)
            .ok_or_else(|| refused(NOT_ISSUED))
    }
}

/// A cursor not sealed under this key for this list and filters (changed, cut, forged, from
/// another list or from before an upgrade).
const NOT_ISSUED: &str =
    "is not one this list issued for these filters; start again without a cursor";

/// An anchored cursor this list issued, whose row has moved or is gone (it is not said which,
/// nor whether she exists).
const ANCHORED_REFUSAL: &str = "was issued for this list, but the row it continues after has \
     moved in the list's order since (a person renamed, a meeting rescheduled, a due or \
     follow-up date changed) or has left the list; start again without a cursor";

fn refused(message: &str) -> ValidationFailed {
    let mut errors = FieldErrors::default();
    errors.push("cursor", message);
    errors.into_failure()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchored_cursor_is_refused_once_its_row_has_moved() {
        let codec = CursorCodec::new(b"0123456789abcdef0123456789abcdef");
        let (scope, id) = ([7u8; 32], Uuid::now_v7());
        let cursor = codec
            .encode_anchored(&scope, id, b"Andersson\0Johan")
            .unwrap_or_default();
        assert_eq!(codec.peek(&scope, &cursor).ok(), Some(id));
        assert_eq!(
            codec
                .decode_anchored(&scope, &cursor, b"Andersson\0Johan")
                .ok(),
            Some(id)
        );
        let moved = codec.decode_anchored(&scope, &cursor, b"\xc3\x96stberg\0Johan");
        let message = moved.err().map(|f| f.errors[0].message.clone());
        assert!(message.is_some_and(|m| m.contains("renamed")));
        // A cursor the list never issued is not said to have moved.
        for forged in ["bm90IGEgY3Vyc29y", &cursor[1..], ""] {
            let refused = codec.peek(&scope, forged).err();
            let message = refused.map(|f| f.errors[0].message.clone());
            assert!(message.is_some_and(|m| !m.contains("renamed")), "{forged}");
        }
        assert!(
            codec
                .decode_anchored(&[8u8; 32], &cursor, b"Andersson\0Johan")
                .is_err()
        );
        // Not interchangeable with a plain cursor of the same list.
        assert!(codec.decode(&scope, &cursor).is_err());
        let plain = codec.encode(&scope, id).unwrap_or_default();
        assert!(
            codec
                .decode_anchored(&scope, &plain, b"Andersson\0Johan")
                .is_err()
        );
        assert!(codec.peek(&scope, "short").is_err() && codec.peek(&scope, "!!!").is_err());
        assert!(codec.peek(&[8u8; 32], &cursor).is_err(), "other filters");
    }

    #[test]
    fn a_keyed_cursor_carries_its_sort_key_and_is_no_other_cursor() {
        let codec = CursorCodec::new(b"0123456789abcdef0123456789abcdef");
        let (scope, key) = ([7u8; 32], b"\x00\x80deadline then id".to_vec());
        let cursor = codec.encode_keyed(&scope, &key).unwrap_or_default();
        assert_eq!(codec.decode_keyed(&scope, &cursor).ok(), Some(key.clone()));
        let bytes = URL_SAFE_NO_PAD.decode(&cursor).unwrap_or_default();
        assert!(
            !bytes.windows(8).any(|w| w == &key[2..10]),
            "the key is not in the clear"
        );
        assert!(
            codec.decode_keyed(&[8u8; 32], &cursor).is_err(),
            "other filters"
        );
        assert!(codec.decode(&scope, &cursor).is_err() && codec.peek(&scope, &cursor).is_err());
        let id = Uuid::now_v7();
        let plain = codec.encode(&scope, id).unwrap_or_default();
        let anchored = codec.encode_anchored(&scope, id, &key).unwrap_or_default();
        for other in [plain, anchored, "short".to_owned(), cursor[1..].to_owned()] {
            let refused = codec.decode_keyed(&scope, &other).err();
            let field = refused.map(|f| f.errors[0].field.clone());
            assert_eq!(field.as_deref(), Some("cursor"), "{other}");
        }
    }

    #[test]
    fn cursors_round_trip_and_reject_tampering() {
        let codec = CursorCodec::new(b"0123456789abcdef0123456789abcdef");
        let scope = [7u8; 32];
        let id = Uuid::now_v7();
        let cursor = codec.encode(&scope, id).unwrap_or_default();
        assert_eq!(codec.decode(&scope, &cursor).ok(), Some(id));
        assert!(codec.decode(&[8u8; 32], &cursor).is_err(), "other filters");
        let mut tampered = cursor.into_bytes();
        tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
        assert!(
            codec
                .decode(&scope, &String::from_utf8_lossy(&tampered))
                .is_err()
        );
        assert!(codec.decode(&scope, "short").is_err());
        let refused = codec
            .decode(&scope, "!!!")
            .err()
            .map(|f| f.errors[0].field.clone());
        assert_eq!(refused.as_deref(), Some("cursor"));
    }

    #[test]
    fn a_cursor_does_not_show_the_id_it_continues_after() {
        let codec = CursorCodec::new(b"0123456789abcdef0123456789abcdef");
        let scope = [7u8; 32];
        let id = Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0042);
        let cursor = codec.encode(&scope, id).unwrap_or_default();
        let bytes = URL_SAFE_NO_PAD.decode(&cursor).unwrap_or_default();
        assert_eq!(bytes.len(), 32, "as long as the signed cursor was");
        assert!(
            !bytes
                .windows(4)
                .any(|w| id.as_bytes().windows(4).any(|v| v == w)),
            "no four bytes of the id in the clear"
        );
        let anchored = codec
            .encode_anchored(&scope, id, b"Andersson")
            .unwrap_or_default();
        let bytes = URL_SAFE_NO_PAD.decode(&anchored).unwrap_or_default();
        assert!(
            !bytes
                .windows(4)
                .any(|w| id.as_bytes().windows(4).any(|v| v == w))
        );
        // One cursor per row and filters; another key neither reads nor accepts it.
        assert_eq!(codec.encode(&scope, id).ok(), Some(cursor.clone()));
        let other = CursorCodec::new(b"another key, another installation");
        assert!(other.decode(&scope, &cursor).is_err());
        assert!(other.peek(&scope, &anchored).is_err());
        // A cursor as the signed codec issued it (the id, then a MAC) is refused.
        let mut signed = id.as_bytes().to_vec();
        signed.extend_from_slice(&[0u8; 16]);
        assert!(
            codec
                .decode(&scope, &URL_SAFE_NO_PAD.encode(signed))
                .is_err()
        );
    }
}
