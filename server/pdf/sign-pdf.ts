/**
 * PAdES signatures (ETSI.CAdES.detached) on finished PDFs, with the certificate and CMS built
 * by pkijs/asn1js.
 *
 * Why not node-forge: forge re-encodes the issuer name when it writes the SignerInfo, and with
 * a Chinese organisation name the re-encoded issuer no longer matches the certificate, so
 * validators cannot find the signer certificate and report the signature invalid. pkijs keeps
 * the names exactly as they were encoded (UTF8String) in the certificate.
 */
import { createHash, generateKeyPair, randomBytes, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFSignature, PDFString } from 'pdf-lib';

const cryptoEngine = new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto as unknown as Crypto });
pkijs.setEngine('node-webcrypto', cryptoEngine);

const OID = {
  commonName: '2.5.4.3',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  keyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
  extKeyUsage: '2.5.29.37',
  emailProtection: '1.3.6.1.5.5.7.3.4',
} as const;

const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** Room reserved for the CMS blob; a certificate chain of a few certificates fits. */
const CONTENTS_BYTES = 16384;
const BYTE_RANGE_PLACEHOLDER = '**********';

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function utf8(text: string): ArrayBuffer {
  return toArrayBuffer(new TextEncoder().encode(text));
}

/**
 * A Name with one attribute per RDN (C=CN, O=…, CN=…). pkijs would put all attributes into a
 * single multi-valued RDN, which validators display as "C=CN+O=…+CN=…".
 */
function distinguishedName(attributes: pkijs.AttributeTypeAndValue[]): pkijs.RelativeDistinguishedNames {
  const der = new asn1js.Sequence({
    value: attributes.map((a) => new asn1js.Set({ value: [a.toSchema()] })),
  }).toBER(false);
  return pkijs.RelativeDistinguishedNames.fromBER(der);
}

export interface SelfSignedOptions {
  commonName: string;
  organization: string;
  passphrase: string;
  notBefore: Date;
  validDays: number;
}

/**
 * A self-signed signing certificate with its RSA key in a password-protected PKCS#12, for
 * development and tests. Names are UTF8String, so Chinese organisation names survive intact.
 */
export async function generateSelfSignedP12(opts: SelfSignedOptions): Promise<Uint8Array> {
  // Generated on libuv's thread pool: an RSA key takes about half a second of CPU.
  const { privateKey: nodePrivate, publicKey: nodePublic } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const pkcs8 = nodePrivate.export({ format: 'der', type: 'pkcs8' });
  const spki = nodePublic.export({ format: 'der', type: 'spki' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, RSA_SHA256, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, RSA_SHA256, true, ['verify']);

  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // a positive INTEGER
  cert.serialNumber = new asn1js.Integer({ valueHex: toArrayBuffer(serial) });
  const name = distinguishedName([
    new pkijs.AttributeTypeAndValue({ type: OID.country, value: new asn1js.PrintableString({ value: 'CN' }) }),
    new pkijs.AttributeTypeAndValue({ type: OID.organization, value: new asn1js.Utf8String({ value: opts.organization }) }),
    new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: new asn1js.Utf8String({ value: opts.commonName }) }),
  ]);
  cert.subject = name;
  cert.issuer = pkijs.RelativeDistinguishedNames.fromBER(name.toSchema().toBER(false));
  cert.notBefore.value = opts.notBefore;
  cert.notAfter.value = new Date(opts.notBefore.getTime() + opts.validDays * 86_400_000);

  // digitalSignature + nonRepudiation: what a document-signing certificate carries.
  const keyUsage = new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 });
  const ski = createHash('sha1').update(spki).digest();
  cert.extensions = [
    new pkijs.Extension({
      extnID: OID.basicConstraints,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
    new pkijs.Extension({ extnID: OID.keyUsage, critical: true, extnValue: keyUsage.toBER(false) }),
    new pkijs.Extension({
      extnID: OID.extKeyUsage,
      extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [OID.emailProtection] }).toSchema().toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.subjectKeyIdentifier,
      extnValue: new asn1js.OctetString({ valueHex: toArrayBuffer(ski) }).toBER(false),
    }),
  ];
  await cert.subjectPublicKeyInfo.importKey(publicKey, cryptoEngine);
  await cert.sign(privateKey, 'SHA-256', cryptoEngine);

  const password = utf8(opts.passphrase);
  const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: pkijs.PrivateKeyInfo.fromBER(toArrayBuffer(pkcs8)) });
  const localKeyId = new pkijs.Attribute({
    type: '1.2.840.113549.1.9.21',
    values: [new asn1js.OctetString({ valueHex: toArrayBuffer(createHash('sha1').update(new Uint8Array(cert.toSchema().toBER(false))).digest()) })],
  });
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0,
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            {
              privacyMode: 0,
              value: new pkijs.SafeContents({
                safeBags: [new pkijs.SafeBag({ bagId: OID.keyBag, bagValue: keyBag, bagAttributes: [localKeyId] })],
              }),
            },
            {
              privacyMode: 1,
              value: new pkijs.SafeContents({
                safeBags: [
                  new pkijs.SafeBag({
                    bagId: OID.certBag,
                    bagValue: new pkijs.CertBag({ parsedValue: cert }),
                    bagAttributes: [localKeyId],
                  }),
                ],
              }),
            },
          ],
        },
      }),
    },
  });
  const pbes2 = {
    password,
    contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as pkijs.ContentEncryptionAlgorithm,
    hmacHashAlgorithm: 'SHA-256',
    iterationCount: 100_000,
  };
  const safe = pfx.parsedValue?.authenticatedSafe;
  const keyContents = safe?.parsedValue.safeContents[0]?.value as pkijs.SafeContents | undefined;
  await (keyContents?.safeBags[0]?.bagValue as pkijs.PKCS8ShroudedKeyBag).makeInternalValues(pbes2, cryptoEngine);
  await safe!.makeInternalValues({ safeContents: [{}, pbes2] }, cryptoEngine);
  await pfx.makeInternalValues(
    { password, iterations: 100_000, pbkdf2HashAlgorithm: 'SHA-256' as unknown as Algorithm, hmacHashAlgorithm: 'SHA-256' },
    cryptoEngine,
  );
  return new Uint8Array(pfx.toSchema().toBER(false));
}

interface SigningMaterial {
  certificate: pkijs.Certificate;
  chain: pkijs.Certificate[];
  privateKey: CryptoKey;
}

/** Reads the signing key and certificates from a PKCS#12 protected with PBES2 (OpenSSL 3's default). */
export async function readP12(p12: Uint8Array, passphrase: string): Promise<SigningMaterial> {
  const password = utf8(passphrase);
  const pfx = pkijs.PFX.fromBER(toArrayBuffer(p12));
  await pfx.parseInternalValues({ password, checkIntegrity: true }, cryptoEngine);
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new Error('PKCS#12 has no authenticated safe');
  await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password })) }, cryptoEngine);

  const certificates: pkijs.Certificate[] = [];
  let keyInfo: pkijs.PrivateKeyInfo | undefined;
  for (const contents of safe.parsedValue.safeContents) {
    for (const bag of (contents.value as pkijs.SafeContents).safeBags) {
      if (bag.bagId === OID.keyBag) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        // Declared protected in pkijs' typings, but it is the documented way to decrypt the bag.
        await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }, c: pkijs.ICryptoEngine): Promise<void> })
          .parseInternalValues({ password }, cryptoEngine);
        keyInfo = shrouded.parsedValue;
      } else if (bag.bagId === '1.2.840.113549.1.12.10.1.1') {
        keyInfo = bag.bagValue as unknown as pkijs.PrivateKeyInfo;
      } else if (bag.bagId === OID.certBag) {
        const certBag = bag.bagValue as pkijs.CertBag;
        if (certBag.parsedValue instanceof pkijs.Certificate) certificates.push(certBag.parsedValue);
      }
    }
  }
  if (!keyInfo) throw new Error('PKCS#12 holds no private key');
  const privateKey = await webcrypto.subtle.importKey('pkcs8', keyInfo.toSchema().toBER(false), RSA_SHA256, false, ['sign']);
  // The signing certificate is the one whose public key matches the private key.
  const keySpki = await publicKeyOf(keyInfo);
  const certificate = certificates.find((c) => Buffer.from(c.subjectPublicKeyInfo.toSchema().toBER(false)).equals(keySpki));
  if (!certificate) throw new Error('PKCS#12 holds no certificate for its private key');
  return { certificate, chain: certificates.filter((c) => c !== certificate), privateKey };
}

async function publicKeyOf(keyInfo: pkijs.PrivateKeyInfo): Promise<Buffer> {
  const { createPrivateKey, createPublicKey } = await import('node:crypto');
  const key = createPrivateKey({ key: Buffer.from(keyInfo.toSchema().toBER(false)), format: 'der', type: 'pkcs8' });
  return createPublicKey(key).export({ format: 'der', type: 'spki' });
}

export interface SignOptions {
  p12: Uint8Array;
  passphrase: string;
  reason: string;
  location: string;
  signerName: string;
  signingTime: Date;
}

/** ESS signing-certificate-v2 (RFC 5035): binds the signer certificate, as PAdES requires. */
function signingCertificateV2(cert: pkijs.Certificate): asn1js.Sequence {
  const certHash = createHash('sha256').update(new Uint8Array(cert.toSchema().toBER(false))).digest();
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })],
      }),
      new asn1js.Integer({ valueHex: cert.serialNumber.valueBlock.valueHexView.slice().buffer }),
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

async function buildCms(digest: Buffer, material: SigningMaterial): Promise<Uint8Array> {
  const { certificate, chain, privateKey } = material;
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
        // No signing-time attribute: PAdES takes the time from the signature dictionary's /M.
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
            new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })] }),
            new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(certificate)] }),
          ],
        }),
      }),
    ],
    certificates: [certificate, ...chain],
  });
  await signedData.sign(privateKey, 0, 'SHA-256', undefined, cryptoEngine);
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}

function indexOfAscii(haystack: Uint8Array, needle: string, from = 0): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle, from, 'latin1');
}

/**
 * Signs a finished PDF with the certificate in a PKCS#12. The document is rewritten with an
 * invisible signature field, so sign only once, after every change: a PDF that already holds a
 * signature is refused rather than silently invalidating it.
 */
export async function signPdf(pdf: Uint8Array, opts: SignOptions): Promise<Uint8Array> {
  const material = await readP12(opts.p12, opts.passphrase);
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const form = doc.getForm();
  if (form.getFields().some((f) => f instanceof PDFSignature && f.acroField.dict.has(PDFName.of('V')))) {
    throw new Error('the PDF is already signed; signing again would invalidate the existing signature');
  }
  const context = doc.context;
  const byteRange = PDFArray.withContext(context);
  byteRange.push(PDFNumber.of(0));
  for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(BYTE_RANGE_PLACEHOLDER));

  const signature = context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    ByteRange: byteRange,
    Contents: PDFHexString.of('0'.repeat(CONTENTS_BYTES * 2)),
    // Text strings as UTF-16 hex, the only encoding that carries Chinese in PDF text strings.
    Reason: PDFHexString.fromText(opts.reason),
    Location: PDFHexString.fromText(opts.location),
    Name: PDFHexString.fromText(opts.signerName),
    M: PDFString.fromDate(opts.signingTime),
  });
  const signatureRef = context.register(signature);
  const page = doc.getPage(0);
  const fieldName = `Signature${form.getFields().length + 1}`;
  const widgetRef = context.register(
    context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      Rect: [0, 0, 0, 0],
      V: signatureRef,
      T: PDFHexString.fromText(fieldName),
      F: 132, // print + locked
      P: page.ref,
    }),
  );
  page.node.addAnnot(widgetRef);
  const acroForm = doc.catalog.getOrCreateAcroForm();
  acroForm.addField(widgetRef);
  (acroForm.dict as PDFDict).set(PDFName.of('SigFlags'), PDFNumber.of(3));

  const out = await doc.save({ useObjectStreams: false });

  const placeholder = `/ByteRange [ 0 /${BYTE_RANGE_PLACEHOLDER} /${BYTE_RANGE_PLACEHOLDER} /${BYTE_RANGE_PLACEHOLDER} ]`;
  const rangeAt = indexOfAscii(out, placeholder);
  if (rangeAt < 0) throw new Error('signature ByteRange placeholder not found');
  const contentsAt = indexOfAscii(out, `<${'0'.repeat(CONTENTS_BYTES * 2)}>`, rangeAt);
  if (contentsAt < 0) throw new Error('signature Contents placeholder not found');
  const contentsEnd = contentsAt + CONTENTS_BYTES * 2 + 2;
  const ranges = [0, contentsAt, contentsEnd, out.length - contentsEnd] as const;
  const actual = `/ByteRange [${ranges.join(' ')}]`;
  if (actual.length > placeholder.length) throw new Error('ByteRange does not fit its placeholder');
  out.set(new TextEncoder().encode(actual.padEnd(placeholder.length, ' ')), rangeAt);

  const digest = createHash('sha256')
    .update(out.subarray(0, contentsAt))
    .update(out.subarray(contentsEnd))
    .digest();
  const cms = await buildCms(digest, material);
  if (cms.length > CONTENTS_BYTES) throw new Error(`signature of ${cms.length} bytes exceeds the reserved space`);
  const hex = Buffer.from(cms).toString('hex').padEnd(CONTENTS_BYTES * 2, '0');
  out.set(new TextEncoder().encode(hex), contentsAt + 1);
  return out;
}
