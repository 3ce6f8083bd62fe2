package seal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func TestEncryptedKeyOpensOnlyWithItsPassword(t *testing.T) {
	blob, err := EncryptPrivateKeyWith(testDeskKey, "mật khẩu của trưởng ban", CheapKeyParams)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(blob, testDeskKey.Seed()) {
		t.Fatal("the blob holds the seed in clear")
	}
	got, err := DecryptPrivateKey(blob, "mật khẩu của trưởng ban")
	if err != nil || !bytes.Equal(got, testDeskKey) {
		t.Fatalf("DecryptPrivateKey = %x, %v", got, err)
	}
	for _, wrong := range []string{"", "mat khau cua truong ban", "mật khẩu của trưởng ban "} {
		if _, err := DecryptPrivateKey(blob, wrong); !errors.Is(err, ErrWrongPassword) {
			t.Errorf("password %q: %v, want ErrWrongPassword", wrong, err)
		}
	}
	again, _ := EncryptPrivateKeyWith(testDeskKey, "mật khẩu của trưởng ban", CheapKeyParams)
	if bytes.Equal(blob, again) {
		t.Error("two encryptions are identical: salt and nonce are not random")
	}
}

func TestEncryptedKeyWithDefaultCosts(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB argon2id")
	}
	blob, err := EncryptPrivateKey(testDeskKey, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if got := binary.BigEndian.Uint32(blob[8:]); got != DefaultKeyParams.MemoryKiB {
		t.Errorf("blob header memory %d KiB, want the default %d", got, DefaultKeyParams.MemoryKiB)
	}
	if got, err := DecryptPrivateKey(blob, "pw"); err != nil || !bytes.Equal(got, testDeskKey) {
		t.Errorf("DecryptPrivateKey: %v", err)
	}
}

// The costs in the header are authenticated: lowering them to speed up
// guessing makes the blob fail to open, and absurd ones are refused
// before any work is done.
func TestEncryptedKeyHeaderCannotBeEdited(t *testing.T) {
	blob, err := EncryptPrivateKeyWith(testDeskKey, "pw", KeyParams{Time: 2, MemoryKiB: 128, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	lowered := bytes.Clone(blob)
	binary.BigEndian.PutUint32(lowered[4:], 1)
	if _, err := DecryptPrivateKey(lowered, "pw"); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("time lowered: %v, want ErrWrongPassword", err)
	}
	huge := bytes.Clone(blob)
	binary.BigEndian.PutUint32(huge[8:], 1<<31)
	if _, err := DecryptPrivateKey(huge, "pw"); !errors.Is(err, ErrKeyBlob) {
		t.Errorf("8 TiB of memory: %v, want ErrKeyBlob", err)
	}
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"truncated": blob[:len(blob)-1],
		"magic":     append([]byte("XXXX"), blob[4:]...),
	} {
		if _, err := DecryptPrivateKey(bad, "pw"); !errors.Is(err, ErrKeyBlob) {
			t.Errorf("%s: %v, want ErrKeyBlob", name, err)
		}
	}
}

func TestEncryptRefusesEmptyPasswordAndBadCosts(t *testing.T) {
	if _, err := EncryptPrivateKeyWith(testDeskKey, "", CheapKeyParams); err == nil {
		t.Error("an empty password was accepted")
	}
	if _, err := EncryptPrivateKeyWith(testDeskKey, "pw", KeyParams{}); err == nil {
		t.Error("zero costs were accepted")
	}
}

func TestLoadRootPublicKeyHex(t *testing.T) {
	text := RootPublicKeyHex(pub(testRootKey))
	for _, s := range []string{text, "  " + strings.ToUpper(text) + "\r\n\n", strings.TrimSpace(text)} {
		got, err := LoadRootPublicKeyHex(s)
		if err != nil || !bytes.Equal(got, pub(testRootKey)) {
			t.Errorf("LoadRootPublicKeyHex(%q) = %x, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", text[:63], text[:64] + "00", strings.Replace(text, text[:1], "g", 1)} {
		if _, err := LoadRootPublicKeyHex(bad); err == nil {
			t.Errorf("LoadRootPublicKeyHex(%q) accepted", bad)
		}
	}
}

func TestGenerateKeyGivesASigner(t *testing.T) {
	pubKey, priv, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	s := NewSigner(priv)
	if s.KID() != KID(pubKey) || !bytes.Equal(s.PublicKey(), pubKey) {
		t.Error("signer kid or public key does not match the generated key")
	}
}
