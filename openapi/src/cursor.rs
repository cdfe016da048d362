//! Pagination cursors: the last id of a page, bound to the list and filters it was issued for
//! (a 32-byte scope) and authenticated with HMAC-SHA-256 (RFC 2104) under a key the server
//! keeps, in URL-safe base64 without padding (RFC 4648 §5). A changed, truncated or foreign
//! cursor is refused. Here rather than in `api`, so the fuzz target needs no server.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::{FieldErrors, ValidationFailed};

/// Bytes of MAC kept in a cursor: 128 bits is beyond guessing.
const MAC_BYTES: usize = 16;

type HmacSha256 = Hmac<Sha256>;

/// Issues and checks cursors.
pub struct CursorCodec {
    key: Vec<u8>,
}

impl CursorCodec {
    pub fn new(key: &[u8]) -> Self {
        Self { key: key.to_vec() }
    }

    fn mac(&self, scope: &[u8; 32], after: &Uuid) -> Result<[u8; MAC_BYTES], String> {
        let mut mac =
            HmacSha256::new_from_slice(&self.key).map_err(|e| format!("cursor key: {e}"))?;
        mac.update(scope);
        mac.update(after.as_bytes());
        let full = mac.finalize().into_bytes();
        let mut short = [0u8; MAC_BYTES];
        short.copy_from_slice(&full[..MAC_BYTES]);
        Ok(short)
    }

    /// The cursor for the page after `after` in the list and filters identified by `scope`.
    /// Public for the fuzz targets in `fuzz/`.
    pub fn encode(&self, scope: &[u8; 32], after: Uuid) -> Result<String, String> {
        let mut bytes = after.as_bytes().to_vec();
        bytes.extend_from_slice(&self.mac(scope, &after)?);
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The id a cursor carries, if `cursor` is one [`Self::encode`] issued under this key for
    /// `scope`; otherwise the problem naming `cursor` (a 400). Public for the fuzz targets in `fuzz/`.
    pub fn decode(&self, scope: &[u8; 32], cursor: &str) -> Result<Uuid, ValidationFailed> {
        let invalid = || {
            let mut errors = FieldErrors::default();
            errors.push(
                "cursor",
                "is not one this list issued for these filters; start again without a cursor",
            );
            errors.into_failure()
        };
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
        let (id, mac) = bytes.split_at_checked(16).ok_or_else(invalid)?;
        let after = Uuid::from_slice(id).map_err(|_| invalid())?;
        let expected = self.mac(scope, &after).map_err(|_| invalid())?;
        // Both sides are MACs of equal length; a timing difference reveals nothing usable
        // because the key never leaves the server and cursors carry no secret.
        if mac != expected.as_slice() {
            return Err(invalid());
        }
        Ok(after)
    }
}

/// Lists whose order is by something that can change under a cursor (the caseload: by name)
/// bind their cursor to the sort key of the page's last row as well: the MAC is taken under
/// this scope, so a cursor whose row has moved since (she was renamed) is refused rather than
/// read from her new place, which would pass over every row between her old and new place.
fn anchored(scope: &[u8; 32], anchor: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    let mut hasher = Sha256::new();
    hasher.update(scope);
    hasher.update((anchor.len() as u64).to_be_bytes());
    hasher.update(anchor);
    hasher.finalize().into()
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
        self.encode(&anchored(scope, anchor), after)
    }

    /// The id an anchored cursor carries, read **without checking it**: only to look up the
    /// row's sort key, which [`Self::decode_anchored`] needs to check the cursor. A cursor that
    /// is not even shaped like one is refused here (400 naming `cursor`).
    pub fn peek(&self, cursor: &str) -> Result<Uuid, ValidationFailed> {
        URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .filter(|bytes| bytes.len() == 16 + MAC_BYTES)
            .and_then(|bytes| Uuid::from_slice(&bytes[..16]).ok())
            .ok_or_else(|| refused(ANCHORED_REFUSAL))
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
        self.decode(&anchored(scope, anchor), cursor)
            .map_err(|_| refused(ANCHORED_REFUSAL))
    }
}

const ANCHORED_REFUSAL: &str = "is not one this list issued for these filters, or the person it \
     continues after has been renamed since (her place in the list moved); start again without \
     a cursor";

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
        assert_eq!(codec.peek(&cursor).ok(), Some(id));
        assert_eq!(
            codec
                .decode_anchored(&scope, &cursor, b"Andersson\0Johan")
                .ok(),
            Some(id)
        );
        let moved = codec.decode_anchored(&scope, &cursor, b"\xc3\x96stberg\0Johan");
        let message = moved.err().map(|f| f.errors[0].message.clone());
        assert!(message.is_some_and(|m| m.contains("renamed")));
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
        assert!(codec.peek("short").is_err() && codec.peek("!!!").is_err());
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
}
