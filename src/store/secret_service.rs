//! A Secret Service client (the freedesktop.org keyring API that gnome-keyring and KWallet
//! serve on the D-Bus session bus), with just what saymon needs: find, read, write and
//! delete the one item of a (service, username) pair in the default collection.
//!
//! Our own rather than the `keyring` crates' store, which brought zbus, a second async
//! runtime and a blocking layer: 1.1 MB of a binary meant to stay under 5 MB. This one
//! speaks D-Bus through `dbus.rs`. Items are the ones keyring-rs writes (attributes
//! `service` and `username`), so `secret-tool lookup service saymon username …` and older
//! saymon versions see the same entries.
//!
//! Secrets cross the bus encrypted, as libsecret does it: a Diffie–Hellman session
//! (`dh-ietf1024-sha256-aes128-cbc-pkcs7`) gives an AES key that only we and the service
//! hold, so no bus monitor or dbus-daemon buffer ever holds a token in clear.

use super::dbus::{self, Bus, Fault, Value};
use super::keyring::Problem;
use crate::secret::{Secret, wipe};

const BUS_NAME: &str = "org.freedesktop.secrets";
const SERVICE_PATH: &str = "/org/freedesktop/secrets";
const SERVICE: &str = "org.freedesktop.Secret.Service";
const COLLECTION: &str = "org.freedesktop.Secret.Collection";
const ITEM: &str = "org.freedesktop.Secret.Item";
const PROMPT: &str = "org.freedesktop.Secret.Prompt";
const PROPERTIES: &str = "org.freedesktop.DBus.Properties";
const ALGORITHM: &str = "dh-ietf1024-sha256-aes128-cbc-pkcs7";
const CONTENT_TYPE: &str = "text/plain; charset=utf8";

pub struct SecretService {
    bus: Bus,
    session: String,
    key: [u8; 16],
}

/// A reply of another shape than the API's.
fn odd(method: &str) -> Problem {
    Problem::Failed(format!(
        "the keyring answered {method} in a form saymon does not know"
    ))
}

impl SecretService {
    /// Connect to the session bus of DBUS_SESSION_BUS_ADDRESS.
    pub fn open() -> Result<SecretService, Problem> {
        let address = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
        SecretService::connect(&address)
    }

    /// Connect to the session bus and open an encrypted session with the Secret Service.
    pub fn connect(address: &str) -> Result<SecretService, Problem> {
        let mut bus = Bus::connect(address).map_err(problem)?;
        let ours = dh::Keypair::generate()?;
        let reply = bus
            .call(
                BUS_NAME,
                SERVICE_PATH,
                SERVICE,
                "OpenSession",
                vec![
                    dbus::str(ALGORITHM),
                    Value::Variant(Box::new(Value::Bytes(ours.public()))),
                ],
            )
            .map_err(problem)?;
        let (Some(Value::Bytes(theirs)), Some(Value::Path(session))) =
            (reply.first().map(Value::unwrap_variant), reply.get(1))
        else {
            return Err(odd("OpenSession"));
        };
        let key = ours.shared_key(theirs)?;
        Ok(SecretService {
            session: session.clone(),
            bus,
            key,
        })
    }

    fn call(
        &mut self,
        path: &str,
        interface: &str,
        method: &str,
        body: Vec<Value>,
    ) -> Result<Vec<Value>, Problem> {
        self.bus
            .call(BUS_NAME, path, interface, method, body)
            .map_err(problem)
    }

    pub fn get(&mut self, service: &str, account: &str) -> Result<Option<Secret>, Problem> {
        let Some(item) = self.the_item(service, account)? else {
            return Ok(None);
        };
        let session = dbus::path(&self.session);
        let mut reply = self.call(&item, ITEM, "GetSecret", vec![session])?;
        let Some(Value::Struct(fields)) = reply.first_mut() else {
            return Err(odd("GetSecret"));
        };
        let [_, Value::Bytes(iv), Value::Bytes(value), _] = &mut fields[..] else {
            return Err(odd("GetSecret"));
        };
        let text = cbc::decrypt(&self.key, iv, value)
            .and_then(|bytes| std::str::from_utf8(bytes).ok().map(Secret::new));
        wipe(value);
        text.map(Some).ok_or(Problem::NotText)
    }

    /// Set the secret of the pair's item, creating the item (named `label`) if there is none.
    pub fn set(
        &mut self,
        service: &str,
        account: &str,
        label: &str,
        secret: &str,
    ) -> Result<(), Problem> {
        let wire = self.wire(secret)?;
        if let Some(item) = self.the_item(service, account)? {
            self.call(&item, ITEM, "SetSecret", vec![wire])?;
            return Ok(());
        }
        let collection = self.default_collection()?;
        let property = |name: &str, value: Value| {
            Value::Entry(
                Box::new(dbus::str(name)),
                Box::new(Value::Variant(Box::new(value))),
            )
        };
        let properties = Value::Array(
            "{sv}".into(),
            vec![
                property("org.freedesktop.Secret.Item.Label", dbus::str(label)),
                property(
                    "org.freedesktop.Secret.Item.Attributes",
                    attributes(service, account),
                ),
            ],
        );
        let reply = self.call(
            &collection,
            COLLECTION,
            "CreateItem",
            vec![properties, wire, Value::Bool(true)],
        )?;
        let Some(Value::Path(prompt)) = reply.get(1) else {
            return Err(odd("CreateItem"));
        };
        self.prompt(prompt)
    }

    /// Delete the pair's item; whether there was one.
    pub fn delete(&mut self, service: &str, account: &str) -> Result<bool, Problem> {
        let Some(item) = self.the_item(service, account)? else {
            return Ok(false);
        };
        let reply = self.call(&item, ITEM, "Delete", vec![])?;
        let Some(Value::Path(prompt)) = reply.first() else {
            return Err(odd("Delete"));
        };
        self.prompt(prompt)?;
        Ok(true)
    }

    /// The one item of the pair, unlocked; `None` if there is none.
    fn the_item(&mut self, service: &str, account: &str) -> Result<Option<String>, Problem> {
        // D-Bus strings cannot hold NUL; a bus drops a client that sends one.
        if account.contains('\0') {
            return Err(Problem::Failed(
                "the account name holds a NUL character, which the keyring cannot keep".into(),
            ));
        }
        let reply = self.call(
            SERVICE_PATH,
            SERVICE,
            "SearchItems",
            vec![attributes(service, account)],
        )?;
        let (Some(unlocked), Some(locked)) = (
            reply.first().and_then(Value::paths),
            reply.get(1).and_then(Value::paths),
        ) else {
            return Err(odd("SearchItems"));
        };
        if unlocked.len() + locked.len() > 1 {
            return Err(Problem::Ambiguous(unlocked.len() + locked.len()));
        }
        if !locked.is_empty() {
            self.unlock(&locked)?;
        }
        Ok(unlocked.into_iter().chain(locked).next())
    }

    /// The default collection (`login` on GNOME), unlocked.
    fn default_collection(&mut self) -> Result<String, Problem> {
        let reply = self.call(
            SERVICE_PATH,
            SERVICE,
            "ReadAlias",
            vec![dbus::str("default")],
        )?;
        let collection = match reply.first() {
            Some(Value::Path(p)) if p == "/" => {
                return Err(Problem::Failed(
                    "it has no default collection to keep the token in".into(),
                ));
            }
            Some(Value::Path(p)) => p.clone(),
            _ => return Err(odd("ReadAlias")),
        };
        let reply = self.call(
            &collection,
            PROPERTIES,
            "Get",
            vec![dbus::str(COLLECTION), dbus::str("Locked")],
        )?;
        if reply.first().map(Value::unwrap_variant) != Some(&Value::Bool(false)) {
            self.unlock(std::slice::from_ref(&collection))?;
        }
        Ok(collection)
    }

    fn unlock(&mut self, objects: &[String]) -> Result<(), Problem> {
        let objects = Value::Array("o".into(), objects.iter().map(|o| dbus::path(o)).collect());
        let reply = self.call(SERVICE_PATH, SERVICE, "Unlock", vec![objects])?;
        let Some(Value::Path(prompt)) = reply.get(1) else {
            return Err(odd("Unlock"));
        };
        self.prompt(prompt)
    }

    /// Show the service's prompt (an unlock dialog) and wait for the user's answer. The
    /// store's timeout bounds the wait, as it does every call.
    fn prompt(&mut self, prompt: &str) -> Result<(), Problem> {
        if prompt == "/" {
            return Ok(());
        }
        // Listen before asking, or the answer could come first. An object path holds
        // only [A-Za-z0-9_/] (checked when parsed), so it needs no quoting in the rule.
        let rule = format!("type='signal',interface='{PROMPT}',member='Completed',path='{prompt}'");
        self.bus.add_match(&rule).map_err(problem)?;
        self.call(prompt, PROMPT, "Prompt", vec![dbus::str("")])?;
        let answer = self
            .bus
            .signal(prompt, PROMPT, "Completed")
            .map_err(problem)?;
        match answer.first() {
            Some(Value::Bool(false)) => Ok(()),
            Some(Value::Bool(true)) => Err(Problem::Refused(
                "it is locked, and its unlock prompt was dismissed".into(),
            )),
            _ => Err(odd("Prompt")),
        }
    }

    /// A secret as the API carries it: (session, IV, ciphertext, content type).
    fn wire(&self, secret: &str) -> Result<Value, Problem> {
        let iv = dh::random::<16>()?;
        Ok(Value::Struct(vec![
            dbus::path(&self.session),
            Value::Bytes(iv.to_vec()),
            Value::Bytes(cbc::encrypt(&self.key, &iv, secret.as_bytes())),
            dbus::str(CONTENT_TYPE),
        ]))
    }
}

/// The attributes that name an item (`a{ss}`), as keyring-rs writes them.
fn attributes(service: &str, account: &str) -> Value {
    Value::string_dict(&[("service", service), ("username", account)])
}

/// What a D-Bus failure means to the user. The texts come from the local bus and service
/// and name no secret; they are still cleaned of control characters.
fn problem(fault: Fault) -> Problem {
    let said = |text: &str| crate::redact::server_text(text, 200);
    match fault {
        Fault::Io(why) => Problem::Unreachable(said(&why)),
        Fault::Protocol(why) => Problem::Failed(said(&why)),
        Fault::Error { name, text } => {
            let detail = said(if text.is_empty() { &name } else { &text });
            match name.as_str() {
                "org.freedesktop.DBus.Error.ServiceUnknown"
                | "org.freedesktop.DBus.Error.NameHasNoOwner" => Problem::Unreachable(format!(
                    "no Secret Service runs on the D-Bus session ({detail})"
                )),
                "org.freedesktop.Secret.Error.IsLocked"
                | "org.freedesktop.DBus.Error.AccessDenied" => Problem::Refused(detail),
                _ => Problem::Failed(detail),
            }
        }
    }
}

/// AES-128-CBC with PKCS#7 padding, the session's cipher.
mod cbc {
    use ::cbc::cipher::block_padding::Pkcs7;
    use ::cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};

    type Encryptor = ::cbc::Encryptor<aes::Aes128>;
    type Decryptor = ::cbc::Decryptor<aes::Aes128>;

    pub fn encrypt(key: &[u8; 16], iv: &[u8; 16], plain: &[u8]) -> Vec<u8> {
        let mut buf = vec![0; (plain.len() / 16 + 1) * 16];
        buf[..plain.len()].copy_from_slice(plain);
        let len = Encryptor::new(key.into(), iv.into())
            .encrypt_padded::<Pkcs7>(&mut buf, plain.len())
            .expect("the buffer has room for the padding")
            .len();
        buf.truncate(len);
        buf
    }

    /// The plaintext, decrypted in place in `buf`; `None` if `iv` or the padding is wrong.
    pub fn decrypt<'a>(key: &[u8; 16], iv: &[u8], buf: &'a mut [u8]) -> Option<&'a [u8]> {
        let iv: &[u8; 16] = iv.try_into().ok()?;
        Decryptor::new(key.into(), iv.into())
            .decrypt_padded::<Pkcs7>(buf)
            .ok()
    }
}

/// The session's key agreement: Diffie–Hellman in the 1024-bit MODP group of RFC 2409
/// (the Second Oakley Group), then HKDF-SHA256 with no salt and no info to 16 bytes.
mod dh {
    use num_bigint::BigUint;
    use ring::rand::{SecureRandom, SystemRandom};

    use super::Problem;
    use crate::secret::wipe;

    const PRIME: [u8; 128] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC9, 0x0F, 0xDA, 0xA2, 0x21, 0x68, 0xC2,
        0x34, 0xC4, 0xC6, 0x62, 0x8B, 0x80, 0xDC, 0x1C, 0xD1, 0x29, 0x02, 0x4E, 0x08, 0x8A, 0x67,
        0xCC, 0x74, 0x02, 0x0B, 0xBE, 0xA6, 0x3B, 0x13, 0x9B, 0x22, 0x51, 0x4A, 0x08, 0x79, 0x8E,
        0x34, 0x04, 0xDD, 0xEF, 0x95, 0x19, 0xB3, 0xCD, 0x3A, 0x43, 0x1B, 0x30, 0x2B, 0x0A, 0x6D,
        0xF2, 0x5F, 0x14, 0x37, 0x4F, 0xE1, 0x35, 0x6D, 0x6D, 0x51, 0xC2, 0x45, 0xE4, 0x85, 0xB5,
        0x76, 0x62, 0x5E, 0x7E, 0xC6, 0xF4, 0x4C, 0x42, 0xE9, 0xA6, 0x37, 0xED, 0x6B, 0x0B, 0xFF,
        0x5C, 0xB6, 0xF4, 0x06, 0xB7, 0xED, 0xEE, 0x38, 0x6B, 0xFB, 0x5A, 0x89, 0x9F, 0xA5, 0xAE,
        0x9F, 0x24, 0x11, 0x7C, 0x4B, 0x1F, 0xE6, 0x49, 0x28, 0x66, 0x51, 0xEC, 0xE6, 0x53, 0x81,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];

    pub fn random<const N: usize>() -> Result<[u8; N], Problem> {
        let mut bytes = [0; N];
        SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| Problem::Failed("the system's random number source failed".into()))?;
        Ok(bytes)
    }

    pub struct Keypair {
        private: BigUint,
        public: BigUint,
    }

    impl Keypair {
        pub fn generate() -> Result<Keypair, Problem> {
            let mut bytes = random::<128>()?;
            let private = BigUint::from_bytes_be(&bytes);
            wipe(&mut bytes);
            Ok(Keypair::from_private(private))
        }

        fn from_private(private: BigUint) -> Keypair {
            let public = BigUint::from(2u8).modpow(&private, &prime());
            Keypair { private, public }
        }

        pub fn public(&self) -> Vec<u8> {
            self.public.to_bytes_be()
        }

        /// The AES key both sides derive from the other's public key.
        pub fn shared_key(&self, theirs: &[u8]) -> Result<[u8; 16], Problem> {
            let p = prime();
            let theirs = BigUint::from_bytes_be(theirs);
            // 0, 1 and p-1 (and anything not below p) would make the secret guessable.
            if theirs <= BigUint::from(1u8) || theirs >= &p - 1u8 {
                return Err(Problem::Failed(
                    "the keyring sent an unusable public key for its session".into(),
                ));
            }
            let secret = theirs.modpow(&self.private, &p).to_bytes_be();
            let mut ikm = [0u8; 128];
            ikm[128 - secret.len()..].copy_from_slice(&secret);
            let mut key = [0; 16];
            hkdf_sha256(&ikm, &mut key);
            wipe(&mut ikm);
            Ok(key)
        }
    }

    fn prime() -> BigUint {
        BigUint::from_bytes_be(&PRIME)
    }

    fn hkdf_sha256(ikm: &[u8], out: &mut [u8; 16]) {
        struct Len;
        impl ring::hkdf::KeyType for Len {
            fn len(&self) -> usize {
                16
            }
        }
        // No salt means HashLen zero bytes (RFC 5869), which as an HMAC key equals an
        // empty one.
        ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, &[])
            .extract(ikm)
            .expand(&[], Len)
            .and_then(|okm| okm.fill(out))
            .expect("16 bytes is a valid HKDF-SHA256 length");
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn both_sides_derive_one_key() {
            let a = Keypair::generate().unwrap();
            let b = Keypair::generate().unwrap();
            let key = a.shared_key(&b.public()).unwrap();
            assert_eq!(key, b.shared_key(&a.public()).unwrap());
            assert_ne!(key, [0; 16]);
        }

        #[test]
        fn degenerate_public_keys_are_refused() {
            let a = Keypair::generate().unwrap();
            let p = prime();
            for bad in [
                BigUint::from(0u8),
                BigUint::from(1u8),
                &p - 1u8,
                p.clone(),
                &p + 5u8,
            ] {
                assert!(a.shared_key(&bad.to_bytes_be()).is_err(), "{bad}");
            }
        }

        /// RFC 5869's test case 3 (no salt, no info), cut to 16 bytes.
        #[test]
        fn hkdf_matches_rfc_5869() {
            let mut out = [0; 16];
            hkdf_sha256(&[0x0b; 22], &mut out);
            assert_eq!(
                out,
                [
                    0x8d, 0xa4, 0xe7, 0x75, 0xa5, 0x63, 0xc1, 0x8f, 0x71, 0x5f, 0x80, 0x2a, 0x06,
                    0x3c, 0x5a, 0x31
                ]
            );
        }

        /// A tiny exponent keeps the arithmetic checkable: 2^10 mod p.
        #[test]
        fn the_public_key_is_two_to_the_private() {
            let pair = Keypair::from_private(BigUint::from(10u8));
            assert_eq!(pair.public(), vec![4, 0]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbc_round_trips_every_length_around_a_block() {
        let key = [7; 16];
        let iv = [9; 16];
        for len in 0..=33 {
            let plain: Vec<u8> = (0..len as u8).collect();
            let mut sealed = cbc::encrypt(&key, &iv, &plain);
            assert_eq!(sealed.len(), (len / 16 + 1) * 16);
            assert_eq!(cbc::decrypt(&key, &iv, &mut sealed), Some(&plain[..]));
        }
    }

    #[test]
    fn cbc_refuses_a_wrong_key_iv_or_length() {
        let key = [7; 16];
        let iv = [9; 16];
        let sealed = cbc::encrypt(&key, &iv, b"token");
        assert_eq!(cbc::decrypt(&key, &iv[..15], &mut sealed.clone()), None);
        assert_eq!(cbc::decrypt(&key, &iv, &mut sealed[..15].to_vec()), None);
        assert_ne!(
            cbc::decrypt(&[8; 16], &iv, &mut sealed.clone()),
            Some(&b"token"[..])
        );
    }

    /// NIST SP 800-38A, F.2.1 (CBC-AES128.Encrypt), first block, followed by the padding
    /// block our PKCS#7 adds.
    #[test]
    fn cbc_matches_nist_sp_800_38a() {
        let key = [
            0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf,
            0x4f, 0x3c,
        ];
        let iv: [u8; 16] = std::array::from_fn(|i| i as u8);
        let plain = [
            0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93,
            0x17, 0x2a,
        ];
        let sealed = cbc::encrypt(&key, &iv, &plain);
        assert_eq!(
            sealed[..16],
            [
                0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46, 0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9,
                0x19, 0x7d
            ]
        );
    }
}
