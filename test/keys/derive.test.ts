import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DidBridgeError, InvalidDidError } from '../../src/errors.js';
import { parseDid } from '../../src/syntax/did-url.js';
import {
  IDENTIFIER_VALIDATORS,
  base58Bif,
  base58Bitcoin,
  decodeBifPrivateKey,
  decodeBifPublicKey,
  decodeDecimalPublicKey,
  decodeHex,
  decompressPoint,
  deriveCcpIdentifier,
  deriveCtidIdentifier,
  deriveDid,
  encodeDecimalPublicKey,
  encodeHex,
  generateKeyPair,
  isOnCurve,
  keccak256,
  parseBifIdentifier,
  parseCcpIdentifier,
  parseCtidIdentifier,
  parseWeidIdentifier,
  publicKeyFromPrivateKey,
  validateIdentifier,
  weidVerificationMethodFragment,
  type HashName,
  type KeyType,
} from '../../src/keys/index.js';

interface DerivationVector {
  id: string;
  method: string;
  section: string;
  source: string;
  input: { encoding: 'hex' | 'bif-hex' | 'decimal' | 'bif-private-key'; value: string };
  keyType: KeyType;
  hash: HashName;
  chainId?: string;
  expected: { did: string; address?: string; publicKeyHex?: string; verificationMethodFragment?: string };
  status: 'confirmed' | 'unconfirmed';
  reason?: string;
}
const derivations = JSON.parse(readFileSync(new URL('../../fixtures/keys/did-derivations.json', import.meta.url), 'utf8')) as {
  vectors: DerivationVector[];
  negativeVectors: Array<{ id: string; section: string; input: { value: string }; wrongDid: string }>;
};
const identifiers = JSON.parse(readFileSync(new URL('../../fixtures/keys/identifiers.json', import.meta.url), 'utf8')) as {
  vectors: Array<Record<string, string | number | boolean | undefined> & { did: string; valid: boolean; section: string }>;
};

function inputKey(input: DerivationVector['input']): Uint8Array {
  switch (input.encoding) {
    case 'hex':
      return decodeHex(input.value);
    case 'bif-hex':
      return decodeBifPublicKey(input.value).publicKey;
    case 'decimal':
      return decodeDecimalPublicKey(input.value);
    case 'bif-private-key':
      return publicKeyFromPrivateKey({ type: 'Ed25519', privateKey: decodeBifPrivateKey(input.value).privateKey }).bytes;
  }
}

function expectCode(fn: () => unknown, code: string, message?: RegExp) {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(DidBridgeError);
  expect((thrown as DidBridgeError).code).toBe(code);
  if (message) expect((thrown as Error).message).toMatch(message);
}

describe('known answers: key → DID (fixtures/keys/did-derivations.json)', () => {
  for (const vector of derivations.vectors) {
    it(`${vector.id}: ${vector.section} [${vector.status}]`, () => {
      const publicKey = inputKey(vector.input);
      if (vector.expected.publicKeyHex) expect(encodeHex(publicKey)).toBe(vector.expected.publicKeyHex);
      const result = deriveDid({ method: vector.method, publicKey, chainId: vector.chainId });
      if (vector.status === 'confirmed') {
        expect(result.did).toBe(vector.expected.did);
        expect(result.unconfirmed).toEqual([]);
      } else {
        expect(result.did).not.toBe(vector.expected.did);
      }
      expect(result.keyType).toBe(vector.keyType);
      expect(result.hash).toBe(vector.hash);
      if (vector.expected.address) expect(result.methodSpecificId.endsWith(vector.expected.address)).toBe(true);
      if (vector.expected.verificationMethodFragment) {
        expect(weidVerificationMethodFragment(encodeDecimalPublicKey(publicKey))).toBe(vector.expected.verificationMethodFragment);
      }
      // Every derived DID passes its method's validator.
      expect(() => validateIdentifier({ did: result.did })).not.toThrow();
    });
  }

  for (const negative of derivations.negativeVectors) {
    it(`negative: ${negative.id} (${negative.section})`, () => {
      const raw = decodeHex(negative.input.value);
      const body = createHash('sha256').update(raw).digest().subarray(10);
      const bitcoin = `did:bid:ef${base58Bitcoin.encode(body)}`;
      expect(bitcoin).toBe(negative.wrongDid);
      const ours = deriveDid({ method: 'bid', publicKey: raw }).did;
      expect(ours).not.toBe(negative.wrongDid);
      expect(ours.toLowerCase()).toBe(negative.wrongDid.toLowerCase());
    });
  }
});

describe('deriveDid steps', () => {
  it('did:bid Ed25519: SHA-256 of the raw key, last 22 bytes, BIF base58, in that order', () => {
    const key = generateKeyPair({ type: 'Ed25519' }).publicKey;
    const result = deriveDid({ method: 'bid', publicKey: key });
    const digest = createHash('sha256').update(key).digest();
    expect(result.steps.map((s) => s.name)).toEqual(['key', 'hash', 'truncate', 'encode', 'assemble']);
    expect(result.steps[1]!.output).toBe(digest.toString('hex'));
    expect(result.steps[2]!.output).toBe(digest.subarray(10).toString('hex'));
    expect(result.did).toBe(`did:bid:ef${base58Bif.encode(digest.subarray(10))}`);
    expect(result.steps.at(-1)!.output).toBe(result.did);
  });

  it('did:bid SM2: SM3 over 04‖X‖Y with the zf tag, whatever form the key is given in; marked unconfirmed', () => {
    const pair = generateKeyPair({ type: 'SM2' });
    const uncompressed = decompressPoint('SM2', pair.publicKey);
    const expectedBody = createHash('sm3').update(uncompressed).digest().subarray(10);
    const fromCompressed = deriveDid({ method: 'bid', publicKey: { type: 'SM2', bytes: pair.publicKey } });
    const fromUncompressed = deriveDid({ method: 'bid', publicKey: uncompressed });
    expect(fromCompressed.did).toBe(`did:bid:zf${base58Bif.encode(expectedBody)}`);
    expect(fromUncompressed.did).toBe(fromCompressed.did);
    expect(fromCompressed.hash).toBe('sm3');
    expect(fromCompressed.unconfirmed.join(' ')).toMatch(/no published SM2/);
    expect(parseBifIdentifier(fromCompressed.did).keyType).toBe('SM2');
  });

  it('did:bid with a sub-chain puts the AC code first; a malformed one is INVALID_OPTIONS', () => {
    const key = generateKeyPair({ type: 'Ed25519' }).publicKey;
    const plain = deriveDid({ method: 'bid', publicKey: key });
    const sub = deriveDid({ method: 'bid', publicKey: key, subChain: 'byol' });
    expect(sub.did).toBe(plain.did.replace('did:bid:', 'did:bid:byol:'));
    expect(parseBifIdentifier(sub.did).subChain).toBe('byol');
    expectCode(() => deriveDid({ method: 'bid', publicKey: key, subChain: 'BYOL' }), 'INVALID_OPTIONS', /sub-chain|AC code/);
  });

  it('did:bid secp256k1 has no documented hash: the caller must choose, and the result says so', () => {
    const key = generateKeyPair({ type: 'secp256k1' }).publicKey;
    expectCode(() => deriveDid({ method: 'bid', publicKey: key, keyType: 'secp256k1' }), 'INVALID_OPTIONS', /pass "hash"/);
    const result = deriveDid({ method: 'bid', publicKey: key, keyType: 'secp256k1', hash: 'sha256' });
    expect(result.did.startsWith('did:bid:sf')).toBe(true);
    expect(result.unconfirmed.join(' ')).toMatch(/reserved/);
  });

  it('did:cndid uses the BIF rule and flags the unconfirmed alphabet', () => {
    const key = generateKeyPair({ type: 'Ed25519' }).publicKey;
    const bid = deriveDid({ method: 'bid', publicKey: key });
    const cndid = deriveDid({ method: 'cndid', publicKey: key });
    expect(cndid.did).toBe(bid.did.replace('did:bid:', 'did:cndid:'));
    expect(cndid.unconfirmed.join(' ')).toMatch(/BIF alphabet/);
  });

  it('did:weid: Keccak-256 of X‖Y for secp256k1, SM3 for SM2; chain id forms of §3.2', () => {
    const pair = generateKeyPair({ type: 'secp256k1' });
    const xy = decompressPoint('secp256k1', pair.publicKey).subarray(1);
    const address = '0x' + encodeHex(keccak256(xy).subarray(12));
    expect(deriveDid({ method: 'weid', publicKey: xy }).did).toBe(`did:weid:${address}`);
    expect(deriveDid({ method: 'weid', publicKey: xy, chainId: '101' }).did).toBe(`did:weid:101:${address}`);
    expect(deriveDid({ method: 'weid', publicKey: xy, chainId: '1000:1' }).did).toBe(`did:weid:1000:1:${address}`);
    expectCode(() => deriveDid({ method: 'weid', publicKey: xy, chainId: 'a:b:c' }), 'INVALID_OPTIONS', /chainId/);

    const sm2 = generateKeyPair({ type: 'SM2' });
    const sm2xy = decompressPoint('SM2', sm2.publicKey).subarray(1);
    const sm2Result = deriveDid({ method: 'weid', publicKey: sm2xy, chainId: '0' });
    expect(sm2Result.did).toBe(`did:weid:0:0x${createHash('sm3').update(sm2xy).digest().subarray(12).toString('hex')}`);
    expect(sm2Result.unconfirmed.join(' ')).toMatch(/SM2-mode/);
  });

  it('did:weid with an ambiguous compressed key needs the key type', () => {
    let key: Uint8Array;
    do key = generateKeyPair({ type: 'secp256k1' }).publicKey;
    while (!isOnCurve('SM2', key));
    expectCode(() => deriveDid({ method: 'weid', publicKey: key }), 'INVALID_OPTIONS', /compressed point/);
    expect(deriveDid({ method: 'weid', publicKey: key, keyType: 'secp256k1' }).keyType).toBe('secp256k1');
    expect(deriveDid({ method: 'weid', publicKey: key, keyType: 'SM2' }).keyType).toBe('SM2');
  });

  it('did:tdid needs the router id; a compressed key is taken as secp256k1, its only key type', () => {
    const pair = generateKeyPair({ type: 'secp256k1' });
    expectCode(() => deriveDid({ method: 'tdid', publicKey: pair.publicKey }), 'INVALID_OPTIONS', /router id/);
    const result = deriveDid({ method: 'tdid', publicKey: pair.publicKey, chainId: 'cb534-15' });
    const weid = deriveDid({ method: 'weid', publicKey: pair.publicKey, keyType: 'secp256k1' });
    expect(result.did).toBe(weid.did.replace('did:weid:', 'did:tdid:cb534-15:'));
  });

  it('refuses key types, methods and keys that do not fit', () => {
    const ed = generateKeyPair({ type: 'Ed25519' }).publicKey;
    expectCode(() => deriveDid({ method: 'weid', publicKey: ed }), 'INVALID_OPTIONS', /not Ed25519/);
    expectCode(() => deriveDid({ method: 'example', publicKey: ed }), 'METHOD_NOT_SUPPORTED');
    expectCode(() => deriveDid({ method: 'ccp', publicKey: ed }), 'FEATURE_NOT_SUPPORTED', /deriveCcpIdentifier/);
    expectCode(() => deriveDid({ method: 'vaa', publicKey: ed }), 'FEATURE_NOT_SUPPORTED');
    expectCode(() => deriveDid({ method: 'bid', publicKey: new Uint8Array(20) }), 'INVALID_OPTIONS');
    expectCode(() => deriveDid({ method: 'bid', publicKey: ed, keyType: 'SM2' }), 'INVALID_OPTIONS', /said to be SM2/);
    expectCode(() => deriveDid({ method: 'bid', publicKey: { type: 'SM2', bytes: ed } }), 'INVALID_OPTIONS');
    expect(() => deriveDid({ method: 'bid', publicKey: 'abc' as unknown as Uint8Array })).toThrow(TypeError);
    expect(() => deriveDid({ method: 'bid', publicKey: ed, hash: 'md5' as HashName })).toThrow(/"hash"/);
    expect(() => deriveDid({ method: 42 as unknown as string, publicKey: ed })).toThrow(/"method"/);
  });

  it('every key of a supported type derives a DID its validator accepts', () => {
    const cases: Array<[string, 'Ed25519' | 'SM2' | 'secp256k1', Record<string, string>]> = [
      ['bid', 'Ed25519', {}], ['bid', 'SM2', {}], ['cndid', 'Ed25519', { subChain: 'a1b2' }],
      ['weid', 'secp256k1', { chainId: '1' }], ['weid', 'SM2', {}], ['tdid', 'secp256k1', { chainId: 'r-1' }],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...cases), ([method, type, extra]) => {
        const pair = generateKeyPair({ type });
        const result = deriveDid({ method, publicKey: { type, bytes: pair.publicKey }, ...extra });
        expect(validateIdentifier({ did: result.did })).toBeTruthy();
      }),
      { numRuns: 40 },
    );
  });
});

describe('did:ccp and did:ctid helpers (not key-derived)', () => {
  it('did:ccp: base58(RIPEMD-160(SHA-256(doc))) gives a valid 20-byte id, always marked unconfirmed', () => {
    // The Base DID Document of the did:ccp spec (did.baidu.com/did-spec/; samples/ccp/01-spec-base-did-document.json).
    const doc = Buffer.from(
      '{"@context":"https://w3id.org/did/v1","publicKey":[{"id":"#keys-1","type":"Secp256k1","publicKeyHex":' +
        '"02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71"},{"id":"#keys-2","type":"Secp256k1",' +
        '"publicKeyHex":"4b4042665b3235a12fb49730ff620fef1c96e9efa5c90119abd2e8acfe856053"}],"authentication":["#key-1"],' +
        '"recovery":["#key-2"]}',
    );
    const result = deriveCcpIdentifier({ baseDocument: new Uint8Array(doc) });
    const inner = createHash('sha256').update(doc).digest();
    const outer = createHash('ripemd160').update(inner).digest();
    expect(result.methodSpecificId).toBe(base58Bitcoin.encode(outer));
    expect(parseCcpIdentifier(result.did).hashBytes).toEqual(new Uint8Array(outer));
    expect(result.unconfirmed.length).toBe(1);
  });

  it('did:ctid: upper-case hex SM3, accepted by the ctid validator', () => {
    const result = deriveCtidIdentifier({ attributes: 'name|id-number' });
    expect(result.methodSpecificId).toBe(createHash('sm3').update('name|id-number').digest('hex').toUpperCase());
    expect(parseCtidIdentifier(result.did).hashBytes.length).toBe(32);
    expect(result.unconfirmed.length).toBe(1);
  });
});

describe('identifier validators (fixtures/keys/identifiers.json)', () => {
  for (const vector of identifiers.vectors) {
    it(`${vector.valid ? 'accepts' : 'rejects'} ${vector.did} (${vector.section})${vector.rule ? `: ${vector.rule}` : ''}`, () => {
      if (!vector.valid) {
        expect(() => validateIdentifier({ did: vector.did })).toThrow(InvalidDidError);
        return;
      }
      const parsed = validateIdentifier({ did: vector.did }) as Record<string, unknown>;
      if (vector.hashBytes !== undefined) expect((parsed.hashBytes as Uint8Array).length).toBe(vector.hashBytes);
      for (const field of ['keyType', 'subChain', 'chainId', 'address', 'routerId'] as const) {
        if (vector[field] !== undefined) expect(parsed[field], field).toBe(vector[field]);
      }
      if (vector.subChainOnly) expect(parsed.hasSuffix).toBe(false);
      // ParsedDid input works the same.
      expect(validateIdentifier({ did: parseDid(vector.did) })).toEqual(parsed);
    });
  }

  it('the BID sub-chain-only form can be refused', () => {
    expect(() => parseBifIdentifier('did:bid:byol', { allowSubChainOnly: false })).toThrow(InvalidDidError);
  });

  it('did:weid enforces the configured chain id on the 4-segment form only (the SDK rule)', () => {
    const address = '0xd9aeaa982fc21ea9addaf09e4f0c6a23a08d306a';
    expect(parseWeidIdentifier(`did:weid:101:${address}`, { chainId: '101' }).chainId).toBe('101');
    expect(() => parseWeidIdentifier(`did:weid:1:${address}`, { chainId: '101' })).toThrow(/configured "101"/);
    expect(parseWeidIdentifier(`did:weid:${address}`, { chainId: '101' }).chainId).toBeUndefined();
  });

  it('errors carry INVALID_DID by default and the caller\'s code on request', () => {
    expectCode(() => validateIdentifier({ did: 'did:weid:nope' }), 'INVALID_DID');
    expectCode(() => validateIdentifier({ did: 'did:weid:nope', errorCode: 'INVALID_DID_URL' }), 'INVALID_DID_URL');
    expectCode(() => validateIdentifier({ did: 'did:example:123' }), 'METHOD_NOT_SUPPORTED');
    expectCode(() => validateIdentifier({ did: 'not a did' }), 'INVALID_DID');
  });

  it('never throw anything but DidBridgeError on arbitrary input, and quote long input only in part', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(IDENTIFIER_VALIDATORS)), fc.string({ maxLength: 120 }), (method, tail) => {
        try {
          IDENTIFIER_VALIDATORS[method]!(`did:${method}:${tail}`);
        } catch (err) {
          expect(err).toBeInstanceOf(DidBridgeError);
        }
      }),
      { numRuns: 500 },
    );
    try {
      validateIdentifier({ did: `did:bid:${'x'.repeat(5000)}` });
    } catch (err) {
      expect((err as Error).message.length).toBeLessThan(400);
    }
  });
});
