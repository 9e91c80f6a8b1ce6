import { createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  FieldCryptoError,
  createFieldCipher,
  parseFieldKey,
  randomToken,
  sha256Hex,
} from './field-crypto';

const KEY_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const KEY_B64 = Buffer.from(KEY_HEX, 'hex').toString('base64');
const OTHER_KEY_B64 = randomBytes(32).toString('base64');

function flipChar(s: string, index: number): string {
  const c = s[index];
  return `${s.slice(0, index)}${c === 'A' ? 'B' : 'A'}${s.slice(index + 1)}`;
}

describe('parseFieldKey', () => {
  it('accepts 32 bytes as hex, base64 or base64url, padded or not, trimmed', () => {
    const key = Buffer.from(KEY_HEX, 'hex');
    const b64url = key.toString('base64url');
    for (const material of [
      KEY_HEX,
      KEY_HEX.toUpperCase(),
      KEY_B64,
      KEY_B64.replace(/=$/, ''),
      b64url,
      ` ${KEY_B64}\n`,
    ]) {
      expect(parseFieldKey(material).equals(key)).toBe(true);
    }
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too short hex', KEY_HEX.slice(2)],
    ['too long hex', `${KEY_HEX}00`],
    ['16-byte base64', randomBytes(16).toString('base64')],
    ['48-byte base64', randomBytes(48).toString('base64')],
    ['stray characters', `${KEY_B64.slice(0, 20)}!${KEY_B64.slice(21)}`],
    ['a passphrase', 'correct horse battery staple correct horse!'],
  ])('refuses %s with a clear message that does not echo the key', (_why, material) => {
    let error: unknown;
    try {
      parseFieldKey(material);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FieldCryptoError);
    const message = (error as Error).message;
    expect(message).toMatch(/32 random bytes as base64 \(44 characters\) or hex \(64 characters\)/);
    if (material.trim().length > 4) {
      expect(message).not.toContain(material.trim());
    }
  });

  it('is what createFieldCipher validates with', () => {
    expect(() => createFieldCipher('short')).toThrow(FieldCryptoError);
    expect(() => createFieldCipher(undefined as unknown as string)).toThrow(/missing/);
  });
});

describe('createFieldCipher', () => {
  const cipher = createFieldCipher(KEY_B64);

  it('round-trips and writes a versioned token of base64url parts', () => {
    const token = cipher.encrypt('19900101-0017');
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(cipher.decrypt(token)).toBe('19900101-0017');
  });

  it('round-trips the empty string', () => {
    const token = cipher.encrypt('');
    expect(token).toMatch(/^v1\.[^.]+\.[^.]+\.$/);
    expect(cipher.decrypt(token)).toBe('');
  });

  it('is standard AES-256-GCM with the raw key (decryptable without this module)', () => {
    const [, iv, tag, ct] = cipher.encrypt('Åsa Öberg').split('.');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      Buffer.from(KEY_HEX, 'hex'),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
    expect(plain.toString('utf8')).toBe('Åsa Öberg');
  });

  it('decrypts with the same key given in another encoding', () => {
    expect(createFieldCipher(KEY_HEX).decrypt(cipher.encrypt('x'))).toBe('x');
  });

  it('refuses a token from another key', () => {
    const other = createFieldCipher(OTHER_KEY_B64);
    expect(() => other.decrypt(cipher.encrypt('secret'))).toThrow(FieldCryptoError);
  });

  it('detects tampering with any part', () => {
    const token = cipher.encrypt('a restricted note about health');
    const parts = token.split('.');
    for (const i of [1, 2, 3]) {
      const tampered = [...parts];
      tampered[i] = flipChar(parts[i], 0);
      expect(() => cipher.decrypt(tampered.join('.'))).toThrow(FieldCryptoError);
    }
    const truncated = [...parts];
    truncated[3] = parts[3].slice(0, -2);
    expect(() => cipher.decrypt(truncated.join('.'))).toThrow(FieldCryptoError);
  });

  it.each([
    ['empty', ''],
    ['plain text', 'hello'],
    ['wrong version', 'v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['missing part', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['extra part', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA.AA'],
    ['short IV', 'v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['short tag', 'v1.AAAAAAAAAAAAAAAA.AAAA.AA'],
    ['standard base64 characters', 'v1.AAAAAAAAAAAAAAA+.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['padding', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA==.AA'],
  ])('refuses a malformed token: %s', (_why, token) => {
    expect(() => cipher.decrypt(token)).toThrow(FieldCryptoError);
  });

  it('refuses a non-string token', () => {
    expect(() => cipher.decrypt(null as unknown as string)).toThrow(FieldCryptoError);
    expect(() => cipher.encrypt(42 as unknown as string)).toThrow(FieldCryptoError);
  });

  it('never puts the plaintext in its error messages', () => {
    const token = cipher.encrypt('19900101-0017');
    try {
      createFieldCipher(OTHER_KEY_B64).decrypt(token);
      throw new Error('expected a failure');
    } catch (e) {
      expect((e as Error).message).not.toContain('19900101');
    }
  });

  it('binds an optional context so a value moved to another column fails', () => {
    const token = cipher.encrypt('note', 'participant.restricted_note:42');
    expect(cipher.decrypt(token, 'participant.restricted_note:42')).toBe('note');
    expect(() => cipher.decrypt(token, 'participant.restricted_note:43')).toThrow(FieldCryptoError);
    expect(() => cipher.decrypt(token)).toThrow(FieldCryptoError);
    expect(() => cipher.decrypt(cipher.encrypt('note'), 'x')).toThrow(FieldCryptoError);
  });

  it('replaces lone surrogates, as any UTF-8 storage would', () => {
    expect(cipher.decrypt(cipher.encrypt('a\uD800b'))).toBe('a\uFFFDb');
  });

  describe('keyedHash', () => {
    it('is a stable 64-character hex HMAC per key', () => {
      const h = cipher.keyedHash('199001010017');
      expect(h).toMatch(/^[0-9a-f]{64}$/);
      expect(cipher.keyedHash('199001010017')).toBe(h);
      expect(createFieldCipher(KEY_HEX).keyedHash('199001010017')).toBe(h);
      expect(createFieldCipher(OTHER_KEY_B64).keyedHash('199001010017')).not.toBe(h);
      expect(cipher.keyedHash('199001010018')).not.toBe(h);
    });

    it('uses an HKDF subkey, not the encryption key itself', () => {
      const key = Buffer.from(KEY_HEX, 'hex');
      const withRawKey = createHmac('sha256', key).update('x').digest('hex');
      expect(cipher.keyedHash('x')).not.toBe(withRawKey);
      const subkey = Buffer.from(
        hkdfSync('sha256', key, 'praktiknav', 'praktiknav/keyed-hash/v1', 32),
      );
      expect(cipher.keyedHash('x')).toBe(createHmac('sha256', subkey).update('x').digest('hex'));
    });

    // Pinned so an accidental change of the derivation (which would orphan every stored
    // look-up hash) fails here first.
    it('matches the pinned value', () => {
      expect(cipher.keyedHash('199001010017')).toBe(
        '461f301150ce27e4732f74d3a1f9a4c1e0d38e6fb15aec575774c02a62ec09f2',
      );
    });
  });

  describe('properties', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 500 });

    it('decrypt(encrypt(x)) === x for arbitrary unicode strings', () => {
      fc.assert(
        fc.property(anyText, (x) => {
          expect(cipher.decrypt(cipher.encrypt(x))).toBe(x);
        }),
      );
    });

    it('two encryptions of the same value differ', () => {
      fc.assert(
        fc.property(anyText, (x) => {
          const a = cipher.encrypt(x);
          const b = cipher.encrypt(x);
          expect(a).not.toBe(b);
          expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
        }),
      );
    });

    it('any single-character change to a token is detected', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 50 }), fc.nat(), (x, n) => {
          const token = cipher.encrypt(x);
          const index = 3 + (n % (token.length - 3)); // past the `v1.` prefix
          fc.pre(token[index] !== '.');
          const tampered = flipChar(token, index);
          fc.pre(tampered !== token);
          let decrypted: string | undefined;
          try {
            decrypted = cipher.decrypt(tampered);
          } catch (e) {
            expect(e).toBeInstanceOf(FieldCryptoError);
          }
          // A flip in the unused low bits of a base64url character could decode to the same
          // bytes; the canonical-encoding check refuses those too.
          expect(decrypted).toBeUndefined();
        }),
      );
    });
  });
});

describe('sha256Hex', () => {
  it('hashes UTF-8 to lower-case hex', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex('å')).toBe(sha256Hex('\u00e5'));
  });
});

describe('randomToken', () => {
  it('is base64url of the requested number of bytes', () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(randomToken(16), 'base64url')).toHaveLength(16);
    expect(randomToken(1)).toMatch(/^[A-Za-z0-9_-]{2}$/);
  });

  it('does not repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken()));
    expect(tokens.size).toBe(1000);
  });

  it.each([0, -1, 1.5, 1025, Number.NaN])('refuses %p bytes', (bytes) => {
    expect(() => randomToken(bytes)).toThrow(RangeError);
  });
});
