import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

/** Encrypts single column values (personnummer, restricted notes) and hashes them for look-ups. */
export interface FieldCipher {
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts; a fresh random IV every call. */
  encrypt(plain: string, context?: string): string;
  /** Throws `FieldCryptoError` if the token is malformed, tampered with or for another key. */
  decrypt(token: string, context?: string): string;
  /** HMAC-SHA256 (hex) under a key derived from the field key: equal inputs, equal hashes. */
  keyedHash(value: string): string;
}

/** Never carries key material or plaintext, so it is safe to log. */
export class FieldCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldCryptoError';
  }
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Fixed labels give independent subkeys; changing one invalidates every stored hash.
const HKDF_SALT = 'praktiknav';
const KEYED_HASH_INFO = 'praktiknav/keyed-hash/v1';
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

const KEY_HELP =
  'must be 32 random bytes as base64 (44 characters) or hex (64 characters); ' +
  `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

/** Decodes the configured key; the error never echoes the value. */
export function parseFieldKey(keyMaterial: string): Buffer {
  if (typeof keyMaterial !== 'string' || keyMaterial.trim() === '') {
    throw new FieldCryptoError(`Field encryption key is missing: it ${KEY_HELP}`);
  }
  const material = keyMaterial.trim();
  let key: Buffer | null = null;
  if (HEX_KEY.test(material)) {
    key = Buffer.from(material, 'hex');
  } else if (BASE64_KEY.test(material)) {
    // Node reads both alphabets with 'base64'; the regex has already refused stray characters,
    // which Buffer.from would otherwise skip silently.
    key = Buffer.from(material, 'base64');
  }
  if (!key || key.length !== KEY_BYTES) {
    throw new FieldCryptoError(
      `Field encryption key is invalid (${material.length} characters): it ${KEY_HELP}`,
    );
  }
  return key;
}

function decodePart(part: string, expectedBytes?: number): Buffer | null {
  if (!BASE64URL.test(part)) {
    return null;
  }
  const bytes = Buffer.from(part, 'base64url');
  // Re-encoding must round-trip, or the part had non-canonical trailing bits.
  if (bytes.toString('base64url') !== part) {
    return null;
  }
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) {
    return null;
  }
  return bytes;
}

/**
 * AES-256-GCM under the configured key. An optional `context` (e.g. `participant.personnummer`)
 * is bound as associated data, so a value copied into another column no longer decrypts;
 * the same context must be given to `decrypt`.
 */
export function createFieldCipher(keyMaterial: string): FieldCipher {
  const key = parseFieldKey(keyMaterial);
  const hashKey = Buffer.from(hkdfSync('sha256', key, HKDF_SALT, KEYED_HASH_INFO, KEY_BYTES));

  return {
    encrypt(plain: string, context?: string): string {
      if (typeof plain !== 'string') {
        throw new FieldCryptoError('Only strings can be encrypted');
      }
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      if (context !== undefined) {
        cipher.setAAD(Buffer.from(context, 'utf8'));
      }
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        VERSION,
        iv.toString('base64url'),
        tag.toString('base64url'),
        ciphertext.toString('base64url'),
      ].join('.');
    },

    decrypt(token: string, context?: string): string {
      const parts = typeof token === 'string' ? token.split('.') : [];
      if (parts.length !== 4 || parts[0] !== VERSION) {
        throw new FieldCryptoError(`Not a ${VERSION} encrypted field value`);
      }
      const iv = decodePart(parts[1], IV_BYTES);
      const tag = decodePart(parts[2], TAG_BYTES);
      const ciphertext = decodePart(parts[3]);
      if (!iv || !tag || !ciphertext) {
        throw new FieldCryptoError('Malformed encrypted field value');
      }
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      if (context !== undefined) {
        decipher.setAAD(Buffer.from(context, 'utf8'));
      }
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new FieldCryptoError(
          'Encrypted field value failed authentication (tampered, wrong key or wrong context)',
        );
      }
    },

    keyedHash(value: string): string {
      return createHmac('sha256', hashKey).update(value, 'utf8').digest('hex');
    },
  };
}

/** For values that are secret by their randomness (action tokens), not by a key. */
export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** URL-safe random token, e.g. for links in emails. 32 bytes = 256 bits = 43 characters. */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
    throw new RangeError(`randomToken needs 1 to 1024 bytes, got ${bytes}`);
  }
  return randomBytes(bytes).toString('base64url');
}
