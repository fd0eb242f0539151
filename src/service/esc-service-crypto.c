/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "esc-service-crypto.h"
#include "esc-service-error.h"

/*
 * Secrets at rest, with libsodium
 *
 *   K        a key: 32 bytes from randombytes_buf(), in the key file (0600)
 *   id       the first 8 bytes of BLAKE2b(K) keyed with nothing and
 *            personalised "escalade-key-id", in hex: names K without
 *            telling anything about it
 *   N        24 random bytes, fresh for every sealing (XChaCha20's nonce is
 *            long enough to be drawn at random without fear of a repeat)
 *   A        associated data from the caller, naming the row
 *            ("device-password:DEVICE:GENERATION"), with the version and id
 *   sealed   "v2:" id ":" base64(N || XChaCha20-Poly1305(K, N, P, "v2:" id ":" A))
 *
 * A box holds the current key, which seals, and any older keys it may
 * still open with (during a rotation). The id in the sealed text says which
 * key to use, so a rotation can re-seal row by row.
 *
 * Rows written before libsodium ("v1:", an HMAC-SHA256 counter-mode box
 * keyed from the same key file) can still be opened, with libsodium's
 * HMAC, so that the service can re-seal them as "v2:" when it starts. Nothing
 * is sealed as "v1:" any more.
 */

#define SEALED_V2_PREFIX "v2:"
#define SEALED_V1_PREFIX "v1:"
#define KEY_ID_BYTES 8
#define KEY_ID_LENGTH (KEY_ID_BYTES * 2)
#define NONCE_LENGTH crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define ABYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
/* Passwords are short; this bounds what open() will even try to decode. */
#define MAX_SEALED_LENGTH 4096

/* The legacy v1 format */
#define V1_NONCE_LENGTH 16
#define V1_TAG_LENGTH 32
#define V1_BLOCK_LENGTH 32

G_STATIC_ASSERT (crypto_aead_xchacha20poly1305_ietf_KEYBYTES == ESC_SERVICE_SECRET_KEY_LENGTH);

/* 89 characters: letters, digits and punctuation that needs no escaping in
 * JSON or CSV and is easy to type (no quotes, backslash, space, comma or "`").
 * 20 characters drawn from it carry about 129 bits. */
static const char password_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  "abcdefghijklmnopqrstuvwxyz"
  "0123456789"
  "!#$%&()*+-./:;<=>?@[]^_{|}~";

typedef struct
{
  guint8 key[ESC_SERVICE_SECRET_KEY_LENGTH];
  char   id[KEY_ID_LENGTH + 1];
  /* For "v1:" rows only */
  guint8 v1_encryption_key[V1_BLOCK_LENGTH];
  guint8 v1_authentication_key[V1_BLOCK_LENGTH];
} BoxKey;

struct _EscServiceSecretBox
{
  BoxKey *keys;     /* keys[0] seals; all open */
  guint   n_keys;
};

/**
 * esc_service_crypto_init:
 * @error: return location for a #GError
 *
 * Initialises libsodium (once; it is safe to call again).
 *
 * Returns: %TRUE if libsodium is usable
 */
gboolean
esc_service_crypto_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                           _("Could not initialise libsodium"));
      return FALSE;
    }

  return TRUE;
}

/**
 * esc_service_crypto_random_bytes:
 * @buffer: (out caller-allocates) (array length=length): where to write
 * @length: how many bytes
 * @error: return location for a #GError
 *
 * Fills @buffer from libsodium's CSPRNG (the kernel's), never GLib's
 * g_random_*(), which is not meant for secrets.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_crypto_random_bytes (guint8  *buffer,
                                 gsize    length,
                                 GError **error)
{
  g_return_val_if_fail (buffer != NULL || length == 0, FALSE);

  if (!esc_service_crypto_init (error))
    return FALSE;

  randombytes_buf (buffer, length);

  return TRUE;
}

const char *
esc_service_crypto_password_alphabet (void)
{
  return password_alphabet;
}

static gboolean
has_every_class (const char *password)
{
  gboolean lower = FALSE, upper = FALSE, digit = FALSE, other = FALSE;

  for (const char *p = password; *p != '\0'; p++)
    {
      if (g_ascii_islower (*p))
        lower = TRUE;
      else if (g_ascii_isupper (*p))
        upper = TRUE;
      else if (g_ascii_isdigit (*p))
        digit = TRUE;
      else
        other = TRUE;
    }

  return lower && upper && digit && other;
}

/**
 * esc_service_crypto_generate_password:
 * @length: the number of characters, at least 8
 * @error: return location for a #GError
 *
 * Draws each character uniformly from an alphabet of letters, digits and
 * punctuation with randombytes_uniform(), until the password holds at least
 * one of each class, as Windows' complexity rules want.
 *
 * Returns: (transfer full): the password; free it with
 *   esc_service_crypto_free_secret()
 */
char *
esc_service_crypto_generate_password (guint    length,
                                      GError **error)
{
  const guint32 alphabet_size = sizeof password_alphabet - 1;
  char *password;

  g_return_val_if_fail (length >= 8, NULL);

  if (!esc_service_crypto_init (error))
    return NULL;

  password = g_malloc0 (length + 1);

  do
    {
      for (guint i = 0; i < length; i++)
        password[i] = password_alphabet[randombytes_uniform (alphabet_size)];
    }
  while (!has_every_class (password));

  return password;
}

/**
 * esc_service_crypto_wipe:
 * @data: (nullable): memory that held a secret
 * @length: its size
 *
 * Overwrites @data with zeroes in a way the compiler cannot leave out.
 */
void
esc_service_crypto_wipe (gpointer data,
                         gsize    length)
{
  if (data != NULL && length > 0)
    sodium_memzero (data, length);
}

/**
 * esc_service_crypto_free_secret:
 * @secret: (nullable): a string holding a secret
 *
 * Overwrites @secret before freeing it.
 */
void
esc_service_crypto_free_secret (char *secret)
{
  if (secret == NULL)
    return;

  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

/* Keys */

static void
v1_derive (const guint8 *key,
           const char   *label,
           guint8        out[V1_BLOCK_LENGTH])
{
  crypto_auth_hmacsha256_state state;

  crypto_auth_hmacsha256_init (&state, key, ESC_SERVICE_SECRET_KEY_LENGTH);
  crypto_auth_hmacsha256_update (&state, (const guint8 *)label, strlen (label));
  crypto_auth_hmacsha256_final (&state, out);
  sodium_memzero (&state, sizeof state);
}

static void
box_key_set (BoxKey       *box_key,
             const guint8 *key)
{
  static const guint8 personal[crypto_generichash_blake2b_PERSONALBYTES] = "escalade-key-id";
  static const guint8 salt[crypto_generichash_blake2b_SALTBYTES] = { 0, };
  guint8 digest[KEY_ID_BYTES];

  memcpy (box_key->key, key, ESC_SERVICE_SECRET_KEY_LENGTH);
  crypto_generichash_blake2b_salt_personal (digest, sizeof digest, key,
                                            ESC_SERVICE_SECRET_KEY_LENGTH,
                                            NULL, 0, salt, personal);
  sodium_bin2hex (box_key->id, sizeof box_key->id, digest, sizeof digest);

  v1_derive (key, "escalade-service secret box v1 encryption", box_key->v1_encryption_key);
  v1_derive (key, "escalade-service secret box v1 authentication", box_key->v1_authentication_key);
}

/**
 * esc_service_secret_box_new:
 * @key: (array length=key_length): the current key
 * @key_length: %ESC_SERVICE_SECRET_KEY_LENGTH
 *
 * Returns: (transfer full): a box that seals with @key, or %NULL if libsodium
 *   cannot be initialised
 */
EscServiceSecretBox *
esc_service_secret_box_new (const guint8 *key,
                            gsize         key_length)
{
  EscServiceSecretBox *self;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (key_length == ESC_SERVICE_SECRET_KEY_LENGTH, NULL);

  if (!esc_service_crypto_init (NULL))
    return NULL;

  self = g_new0 (EscServiceSecretBox, 1);
  self->keys = g_new0 (BoxKey, 1);
  self->n_keys = 1;
  box_key_set (&self->keys[0], key);

  return self;
}

/**
 * esc_service_secret_box_add_old_key:
 * @self: a #EscServiceSecretBox
 * @key: (array length=key_length): a key that no longer seals but still opens
 * @key_length: %ESC_SERVICE_SECRET_KEY_LENGTH
 *
 * Returns: %TRUE if added, %FALSE if the box already had it
 */
gboolean
esc_service_secret_box_add_old_key (EscServiceSecretBox *self,
                                    const guint8        *key,
                                    gsize                key_length)
{
  BoxKey candidate;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key_length == ESC_SERVICE_SECRET_KEY_LENGTH, FALSE);

  box_key_set (&candidate, key);
  for (guint i = 0; i < self->n_keys; i++)
    {
      if (strcmp (self->keys[i].id, candidate.id) == 0)
        {
          sodium_memzero (&candidate, sizeof candidate);
          return FALSE;
        }
    }

  self->keys = g_renew (BoxKey, self->keys, self->n_keys + 1);
  self->keys[self->n_keys++] = candidate;
  sodium_memzero (&candidate, sizeof candidate);

  return TRUE;
}

/**
 * esc_service_secret_box_get_key_id:
 * @self: a #EscServiceSecretBox
 *
 * Returns: the id of the key that seals, 16 hex digits
 */
const char *
esc_service_secret_box_get_key_id (EscServiceSecretBox *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->keys[0].id;
}

/**
 * esc_service_secret_box_is_current:
 * @self: a #EscServiceSecretBox
 * @sealed: text from the database
 *
 * Returns: %TRUE if @sealed is in the current format under the current key,
 *   i.e. needs no re-sealing
 */
gboolean
esc_service_secret_box_is_current (EscServiceSecretBox *self,
                                   const char          *sealed)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return sealed != NULL &&
         g_str_has_prefix (sealed, SEALED_V2_PREFIX) &&
         strncmp (sealed + strlen (SEALED_V2_PREFIX), self->keys[0].id, KEY_ID_LENGTH) == 0 &&
         sealed[strlen (SEALED_V2_PREFIX) + KEY_ID_LENGTH] == ':';
}

void
esc_service_secret_box_free (EscServiceSecretBox *self)
{
  if (self == NULL)
    return;

  sodium_memzero (self->keys, sizeof (BoxKey) * self->n_keys);
  g_free (self->keys);
  g_free (self);
}

static char *
v2_associated_data (const char *key_id,
                    const char *associated_data)
{
  return g_strconcat (SEALED_V2_PREFIX, key_id, ":", associated_data ? associated_data : "", NULL);
}

/**
 * esc_service_secret_box_seal:
 * @self: a #EscServiceSecretBox
 * @plaintext: the secret
 * @associated_data: (nullable): what the secret belongs to, e.g.
 *   "device-password:42:7" (device 42, generation 7); the same must be
 *   given to open it
 * @error: return location for a #GError
 *
 * Returns: (transfer full): "v2:", the key id, ":" and base64 text, safe to store
 */
char *
esc_service_secret_box_seal (EscServiceSecretBox  *self,
                             const char           *plaintext,
                             const char           *associated_data,
                             GError              **error)
{
  g_autofree char *ad = NULL;
  g_autofree char *encoded = NULL;
  unsigned long long sealed_length = 0;
  gsize length;
  gsize total;
  guint8 *buffer;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (plaintext != NULL, NULL);

  length = strlen (plaintext);
  total = NONCE_LENGTH + length + ABYTES;
  buffer = g_malloc (total);
  ad = v2_associated_data (self->keys[0].id, associated_data);

  randombytes_buf (buffer, NONCE_LENGTH);
  if (crypto_aead_xchacha20poly1305_ietf_encrypt (buffer + NONCE_LENGTH, &sealed_length,
                                                  (const guint8 *)plaintext, length,
                                                  (const guint8 *)ad, strlen (ad),
                                                  NULL, buffer, self->keys[0].key) != 0)
    {
      g_free (buffer);
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                           _("Could not seal a secret"));
      return NULL;
    }
  g_assert (sealed_length == length + ABYTES);

  encoded = g_base64_encode (buffer, total);
  g_free (buffer);

  return g_strconcat (SEALED_V2_PREFIX, self->keys[0].id, ":", encoded, NULL);
}

static char *
check_plaintext (guint8 *data,
                 gsize   length)
{
  char *plaintext = g_malloc (length + 1);

  memcpy (plaintext, data, length);
  plaintext[length] = '\0';
  sodium_memzero (data, length);

  if (memchr (plaintext, '\0', length) != NULL || !g_utf8_validate (plaintext, length, NULL))
    {
      esc_service_crypto_free_secret (plaintext);
      return NULL;
    }

  return plaintext;
}

static char *
open_v2 (EscServiceSecretBox *self,
         const char          *sealed,
         const char          *associated_data)
{
  const char *id = sealed + strlen (SEALED_V2_PREFIX);
  const BoxKey *box_key = NULL;
  g_autofree guint8 *decoded = NULL;
  g_autofree guint8 *opened = NULL;
  g_autofree char *ad = NULL;
  unsigned long long opened_length = 0;
  gsize decoded_length = 0;
  char *plaintext;

  if (strlen (id) < KEY_ID_LENGTH + 1 || id[KEY_ID_LENGTH] != ':')
    return NULL;

  for (guint i = 0; i < self->n_keys && box_key == NULL; i++)
    {
      if (strncmp (self->keys[i].id, id, KEY_ID_LENGTH) == 0)
        box_key = &self->keys[i];
    }
  if (box_key == NULL)
    return NULL;

  decoded = g_base64_decode (id + KEY_ID_LENGTH + 1, &decoded_length);
  if (decoded == NULL || decoded_length < NONCE_LENGTH + ABYTES)
    return NULL;

  ad = v2_associated_data (box_key->id, associated_data);
  opened = g_malloc (decoded_length - NONCE_LENGTH - ABYTES + 1);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (opened, &opened_length, NULL,
                                                  decoded + NONCE_LENGTH,
                                                  decoded_length - NONCE_LENGTH,
                                                  (const guint8 *)ad, strlen (ad),
                                                  decoded, box_key->key) != 0)
    return NULL;

  plaintext = check_plaintext (opened, opened_length);

  return plaintext;
}

/* The pre-libsodium format, read only: HMAC-SHA256 in counter mode, then
 * an HMAC-SHA256 tag over "v1", the associated data, nonce and ciphertext. */
static char *
open_v1 (const BoxKey *box_key,
         const char   *sealed,
         const char   *associated_data)
{
  g_autofree guint8 *decoded = NULL;
  crypto_auth_hmacsha256_state state;
  guint8 tag[V1_TAG_LENGTH];
  guint8 block[V1_BLOCK_LENGTH];
  gsize ad_length = associated_data ? strlen (associated_data) : 0;
  guint32 ad_length_be = GUINT32_TO_BE ((guint32)ad_length);
  gsize decoded_length = 0;
  gsize length;
  guint8 *data;
  char *plaintext;

  decoded = g_base64_decode (sealed + strlen (SEALED_V1_PREFIX), &decoded_length);
  if (decoded == NULL || decoded_length < V1_NONCE_LENGTH + V1_TAG_LENGTH)
    return NULL;
  length = decoded_length - V1_NONCE_LENGTH - V1_TAG_LENGTH;
  data = decoded + V1_NONCE_LENGTH;

  crypto_auth_hmacsha256_init (&state, box_key->v1_authentication_key, V1_BLOCK_LENGTH);
  crypto_auth_hmacsha256_update (&state, (const guint8 *)"v1", 2);
  crypto_auth_hmacsha256_update (&state, (const guint8 *)&ad_length_be, sizeof ad_length_be);
  if (ad_length > 0)
    crypto_auth_hmacsha256_update (&state, (const guint8 *)associated_data, ad_length);
  crypto_auth_hmacsha256_update (&state, decoded, V1_NONCE_LENGTH + length);
  crypto_auth_hmacsha256_final (&state, tag);

  if (sodium_memcmp (tag, data + length, V1_TAG_LENGTH) != 0)
    return NULL;

  for (guint64 counter = 0; counter * V1_BLOCK_LENGTH < length; counter++)
    {
      guint64 counter_be = GUINT64_TO_BE (counter);
      gsize offset = counter * V1_BLOCK_LENGTH;

      crypto_auth_hmacsha256_init (&state, box_key->v1_encryption_key, V1_BLOCK_LENGTH);
      crypto_auth_hmacsha256_update (&state, decoded, V1_NONCE_LENGTH);
      crypto_auth_hmacsha256_update (&state, (const guint8 *)&counter_be, sizeof counter_be);
      crypto_auth_hmacsha256_final (&state, block);

      for (gsize i = 0; i < V1_BLOCK_LENGTH && offset + i < length; i++)
        data[offset + i] ^= block[i];
    }
  sodium_memzero (block, sizeof block);
  sodium_memzero (&state, sizeof state);

  plaintext = check_plaintext (data, length);

  return plaintext;
}

/**
 * esc_service_secret_box_open:
 * @self: a #EscServiceSecretBox
 * @sealed: text from esc_service_secret_box_seal() (or a "v1:" row)
 * @associated_data: (nullable): the same as given to seal
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the secret, or %NULL with %ESC_SERVICE_ERROR_FAILED
 *   if @sealed was altered, belongs to other associated data or to a key
 *   the box does not hold; free it with esc_service_crypto_free_secret()
 */
char *
esc_service_secret_box_open (EscServiceSecretBox  *self,
                             const char           *sealed,
                             const char           *associated_data,
                             GError              **error)
{
  char *plaintext = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sealed != NULL, NULL);

  if (strlen (sealed) <= MAX_SEALED_LENGTH)
    {
      if (g_str_has_prefix (sealed, SEALED_V2_PREFIX))
        plaintext = open_v2 (self, sealed, associated_data);
      else if (g_str_has_prefix (sealed, SEALED_V1_PREFIX))
        {
          /* v1 names no key: try each. */
          for (guint i = 0; i < self->n_keys && plaintext == NULL; i++)
            plaintext = open_v1 (&self->keys[i], sealed, associated_data);
        }
    }

  if (plaintext == NULL)
    g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                         _("A stored secret could not be decrypted: it was altered, or the "
                           "key file does not belong to this database"));

  return plaintext;
}

/* Key files */

/**
 * esc_service_key_file_read:
 * @key_file: a file of %ESC_SERVICE_SECRET_KEY_LENGTH bytes
 * @key: (out caller-allocates): the key
 * @error: return location for a #GError
 *
 * A file others may read or write, or not a regular file, is refused.
 * Owned by this user, or by root (systemd credentials).
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND if there is no such file
 */
gboolean
esc_service_key_file_read (const char  *key_file,
                           guint8       key[ESC_SERVICE_SECRET_KEY_LENGTH],
                           GError     **error)
{
  struct stat st;
  gsize done = 0;
  int saved_errno;
  int fd;

  fd = open (key_file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open the key file “%s”: %s"),
                   key_file, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not read the key file “%s”: %s"),
                   key_file, g_strerror (saved_errno));
      return FALSE;
    }

  if (!S_ISREG (st.st_mode) || (st.st_uid != geteuid () && st.st_uid != 0) ||
      (st.st_mode & 077) != 0)
    {
      close (fd);
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                   _("The key file “%s” must be a regular file owned by this user and "
                     "readable by nobody else (chmod 600)"),
                   key_file);
      return FALSE;
    }

  if (st.st_size != ESC_SERVICE_SECRET_KEY_LENGTH)
    {
      close (fd);
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                   ngettext ("The key file “%s” is damaged: it should hold %d byte",
                             "The key file “%s” is damaged: it should hold %d bytes",
                             ESC_SERVICE_SECRET_KEY_LENGTH),
                   key_file, ESC_SERVICE_SECRET_KEY_LENGTH);
      return FALSE;
    }

  while (done < ESC_SERVICE_SECRET_KEY_LENGTH)
    {
      ssize_t n = read (fd, key + done, ESC_SERVICE_SECRET_KEY_LENGTH - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          saved_errno = n < 0 ? errno : EIO;
          close (fd);
          sodium_memzero (key, ESC_SERVICE_SECRET_KEY_LENGTH);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not read the key file “%s”: %s"),
                       key_file, g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize)n;
    }

  close (fd);
  return TRUE;
}

/**
 * esc_service_key_file_create:
 * @key_file: where to write
 * @length: how many random bytes
 * @error: return location for a #GError
 *
 * Writes a new random key to a private temporary file, then links it into
 * place, so that a reader never sees a half-written key and two processes
 * creating it at once agree on one. An existing file is left as it is.
 *
 * Returns: %TRUE on success (also if the file already existed)
 */
gboolean
esc_service_key_file_create (const char  *key_file,
                             gsize        length,
                             GError     **error)
{
  g_autofree char *tmp = g_strconcat (key_file, ".XXXXXX", NULL);
  g_autofree guint8 *key = NULL;
  gsize done = 0;
  int saved_errno = 0;
  int fd;

  g_return_val_if_fail (length > 0 && length <= 1024, FALSE);

  if (!esc_service_crypto_init (error))
    return FALSE;

  key = g_malloc (length);
  randombytes_buf (key, length);

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      sodium_memzero (key, length);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the key file “%s”: %s"),
                   key_file, g_strerror (saved_errno));
      return FALSE;
    }

  while (done < length)
    {
      ssize_t n = write (fd, key + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          saved_errno = n < 0 ? errno : EIO;
          break;
        }
      done += (gsize)n;
    }
  sodium_memzero (key, length);

  if (saved_errno == 0 && fsync (fd) != 0)
    saved_errno = errno;
  if (close (fd) != 0 && saved_errno == 0)
    saved_errno = errno;
  if (saved_errno == 0 && link (tmp, key_file) != 0 && errno != EEXIST)
    saved_errno = errno;

  g_unlink (tmp);

  if (saved_errno != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the key file “%s”: %s"),
                   key_file, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

char *
esc_service_key_file_next_path (const char *key_file)
{
  return g_strconcat (key_file, ".next", NULL);
}

/**
 * esc_service_secret_box_load:
 * @key_file: the key file
 * @may_create: whether a missing key file may be created with a new key
 * @error: return location for a #GError
 *
 * Reads the key. If "@key_file.next" exists (a rotation under way), its key
 * seals and @key_file's still opens.
 *
 * Returns: (transfer full): the box, or %NULL; %G_IO_ERROR_NOT_FOUND if
 *   the file is missing and @may_create is %FALSE
 */
EscServiceSecretBox *
esc_service_secret_box_load (const char  *key_file,
                             gboolean     may_create,
                             GError     **error)
{
  guint8 key[ESC_SERVICE_SECRET_KEY_LENGTH];
  guint8 next_key[ESC_SERVICE_SECRET_KEY_LENGTH];
  g_autofree char *next_file = NULL;
  g_autoptr(GError) next_error = NULL;
  EscServiceSecretBox *self;

  g_return_val_if_fail (key_file != NULL, NULL);

  if (!esc_service_crypto_init (error))
    return NULL;

  if (may_create && !g_file_test (key_file, G_FILE_TEST_EXISTS) &&
      !esc_service_key_file_create (key_file, ESC_SERVICE_SECRET_KEY_LENGTH, error))
    return NULL;

  if (!esc_service_key_file_read (key_file, key, error))
    return NULL;

  next_file = esc_service_key_file_next_path (key_file);
  if (esc_service_key_file_read (next_file, next_key, &next_error))
    {
      self = esc_service_secret_box_new (next_key, sizeof next_key);
      esc_service_secret_box_add_old_key (self, key, sizeof key);
      sodium_memzero (next_key, sizeof next_key);
    }
  else if (g_error_matches (next_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      self = esc_service_secret_box_new (key, sizeof key);
    }
  else
    {
      sodium_memzero (key, sizeof key);
      g_propagate_error (error, g_steal_pointer (&next_error));
      return NULL;
    }

  sodium_memzero (key, sizeof key);

  return self;
}
