package seal

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// GenerateKey makes a new Ed25519 key pair (province root key or desk key)
// from the system's secure random source.
func GenerateKey() (ed25519.PublicKey, ed25519.PrivateKey, error) {
	return ed25519.GenerateKey(rand.Reader)
}

// KeyParams are the argon2id costs used to turn a password into the key that
// encrypts a private key. They are stored in each blob, so raising the
// defaults later still opens old blobs.
type KeyParams struct {
	Time      uint32 // passes
	MemoryKiB uint32
	Threads   uint8
}

// DefaultKeyParams is what EncryptPrivateKey uses. A copied desk file can be
// guessed at offline with no lockout, so each guess must cost what an
// approver can bear once at login: about 1 s of one core and 256 MiB
// (BenchmarkDeskKeyGuess in store measures it), half a second on a 2-core
// office PC with both lanes, and memory enough to make a GPU farm slow.
// Tests of other packages may lower it (e.g. to CheapKeyParams) in TestMain.
var DefaultKeyParams = KeyParams{Time: 3, MemoryKiB: 256 * 1024, Threads: 2}

// CheapKeyParams is for tests only: fast, and useless against guessing.
var CheapKeyParams = KeyParams{Time: 1, MemoryKiB: 64, Threads: 1}

// Bounds DecryptPrivateKey accepts from a blob header: a tampered header must
// not make a desk allocate gigabytes or spin for an hour before it fails.
const (
	maxKeyTime      = 64
	maxKeyMemoryKiB = 1 << 20 // 1 GiB
)

var (
	// ErrWrongPassword: the password does not open the blob (or the blob was
	// altered: an AEAD cannot tell the two apart).
	ErrWrongPassword = errors.New("wrong password for the signing key")
	// ErrKeyBlob: the bytes are not an encrypted key blob of this format.
	ErrKeyBlob = errors.New("not an encrypted Thông Hành key")
)

// The blob is: magic "THK1" | time u32 | memory KiB u32 | threads u8 |
// salt 16 | nonce 24 | XChaCha20-Poly1305(seed 32) with the header before
// the ciphertext as additional data, so the costs cannot be edited down.
const (
	keyMagic      = "THK1"
	keySaltSize   = 16
	keyHeaderSize = len(keyMagic) + 4 + 4 + 1 + keySaltSize + chacha20poly1305.NonceSizeX
	keyBlobSize   = keyHeaderSize + ed25519.SeedSize + chacha20poly1305.Overhead
)

// EncryptPrivateKey encrypts priv under password with DefaultKeyParams.
func EncryptPrivateKey(priv ed25519.PrivateKey, password string) ([]byte, error) {
	return EncryptPrivateKeyWith(priv, password, DefaultKeyParams)
}

// EncryptPrivateKeyWith encrypts priv under password with the given costs.
// Only the 32-byte seed is stored; the key is rebuilt from it.
func EncryptPrivateKeyWith(priv ed25519.PrivateKey, password string, params KeyParams) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("private key is %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	if password == "" {
		return nil, errors.New("a signing key needs a password")
	}
	if err := params.check(); err != nil {
		return nil, err
	}
	blob := make([]byte, keyHeaderSize, keyBlobSize)
	copy(blob, keyMagic)
	binary.BigEndian.PutUint32(blob[4:], params.Time)
	binary.BigEndian.PutUint32(blob[8:], params.MemoryKiB)
	blob[12] = params.Threads
	salt, nonce := blob[13:13+keySaltSize], blob[13+keySaltSize:keyHeaderSize]
	if _, err := rand.Read(blob[13:keyHeaderSize]); err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(params.derive(password, salt))
	if err != nil {
		return nil, err
	}
	return aead.Seal(blob, nonce, priv.Seed(), blob[:keyHeaderSize]), nil
}

// DecryptPrivateKey opens a blob from EncryptPrivateKey. A wrong password
// gives ErrWrongPassword; bytes that are not a blob give ErrKeyBlob.
func DecryptPrivateKey(blob []byte, password string) (ed25519.PrivateKey, error) {
	if len(blob) != keyBlobSize || string(blob[:4]) != keyMagic {
		return nil, ErrKeyBlob
	}
	params := KeyParams{
		Time:      binary.BigEndian.Uint32(blob[4:]),
		MemoryKiB: binary.BigEndian.Uint32(blob[8:]),
		Threads:   blob[12],
	}
	if err := params.check(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeyBlob, err)
	}
	salt, nonce := blob[13:13+keySaltSize], blob[13+keySaltSize:keyHeaderSize]
	aead, err := chacha20poly1305.NewX(params.derive(password, salt))
	if err != nil {
		return nil, err
	}
	seed, err := aead.Open(nil, nonce, blob[keyHeaderSize:], blob[:keyHeaderSize])
	if err != nil {
		return nil, ErrWrongPassword
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

func (p KeyParams) check() error {
	if p.Time < 1 || p.Time > maxKeyTime || p.Threads < 1 || p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxKeyMemoryKiB {
		return fmt.Errorf("argon2id costs out of range: time %d, memory %d KiB, threads %d", p.Time, p.MemoryKiB, p.Threads)
	}
	return nil
}

func (p KeyParams) derive(password string, salt []byte) []byte {
	return argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, chacha20poly1305.KeySize)
}

// LoadRootPublicKeyHex reads the province root public key from the text of
// a root file: 64 hexadecimal characters, surrounding whitespace ignored.
func LoadRootPublicKeyHex(text string) (ed25519.PublicKey, error) {
	s := strings.TrimSpace(text)
	if len(s) != 2*ed25519.PublicKeySize {
		return nil, fmt.Errorf("root public key: want %d hexadecimal characters, got %d", 2*ed25519.PublicKeySize, len(s))
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("root public key: %w", err)
	}
	return ed25519.PublicKey(b), nil
}

// RootPublicKeyHex is the text of a root file, the inverse of LoadRootPublicKeyHex.
func RootPublicKeyHex(pub ed25519.PublicKey) string { return hex.EncodeToString(pub) + "\n" }
