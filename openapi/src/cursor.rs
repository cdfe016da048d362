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

#[cfg(test)]
mod tests {
    use super::*;

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
