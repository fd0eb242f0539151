/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "esc-service-crypto.h"
#include "esc-service-error.h"

/*
 * Secrets at rest
 *
 * Device passwords must be stored encrypted, and GLib has no cipher. Rather
 * than a home-made XOR, this is a standard construction built from one
 * primitive GLib does have, HMAC-SHA256 (GHmac), used as a pseudo-random
 * function:
 *
 *   K   the master key: 32 bytes from getrandom(2), kept in "<db>.key" (0600)
 *   Ke  = HMAC(K, "escalade-service secret box v1 encryption")
 *   Km  = HMAC(K, "escalade-service secret box v1 authentication")
 *   N   a fresh 16-byte random nonce for every sealing
 *   S_i = HMAC(Ke, N || uint64_be(i))          keystream, 32 bytes per block
 *   C   = P xor S_0 S_1 …                      counter mode (like AES-CTR)
 *   T   = HMAC(Km, "v1" || uint32_be(|A|) || A || N || C)
 *   sealed text = "v1:" base64(N || C || T)
 *
 * That is encrypt-then-MAC with independent keys: confidentiality from a PRF
 * in counter mode under a never-repeated random nonce, integrity from the
 * HMAC tag, which is checked in constant time before anything is decrypted.
 * A is "associated data" (e.g. "device-password:42"): authenticated but not
 * stored, so a ciphertext copied to another row fails to open.
 */

#define SEALED_PREFIX "v1:"
#define NONCE_LENGTH 16
#define TAG_LENGTH 32
#define BLOCK_LENGTH 32
/* Passwords are short; this bounds what open() will even try to decode. */
#define MAX_SEALED_LENGTH 4096

/* 89 characters: letters, digits and punctuation that needs no escaping in
 * JSON or CSV and is easy to type (no quotes, backslash, space, comma or "`").
 * 20 characters drawn from it carry about 129 bits. */
static const char password_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  "abcdefghijklmnopqrstuvwxyz"
  "0123456789"
  "!#$%&()*+-./:;<=>?@[]^_{|}~";

struct _EscServiceSecretBox
{
  guint8 encryption_key[BLOCK_LENGTH];
  guint8 authentication_key[BLOCK_LENGTH];
};

/**
 * esc_service_crypto_random_bytes:
 * @buffer: (out caller-allocates) (array length=length): where to write
 * @length: how many bytes
 * @error: return location for a #GError
 *
 * Fills @buffer from the kernel's CSPRNG with getrandom(2), never GLib's
 * g_random_*(), which is not meant for secrets.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_crypto_random_bytes (guint8  *buffer,
                                 gsize    length,
                                 GError **error)
{
  gsize done = 0;

  g_return_val_if_fail (buffer != NULL || length == 0, FALSE);

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;

          g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                       _("Could not read random bytes: %s"), g_strerror (saved_errno));
          return FALSE;
        }

      done += (gsize)n;
    }

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
 * Draws each character uniformly (by rejection sampling) from an alphabet of
 * letters, digits and punctuation, with bytes from getrandom(2), until the
 * password holds at least one of each class, as Windows' complexity rules
 * want.
 *
 * Returns: (transfer full): the password; free it with
 *   esc_service_crypto_free_secret()
 */
char *
esc_service_crypto_generate_password (guint    length,
                                      GError **error)
{
  const guint alphabet_size = sizeof password_alphabet - 1;
  /* The largest multiple of the alphabet's size that fits in a byte:
   * bytes at or above it are dropped, so that no character is likelier. */
  const guint limit = 256 - (256 % alphabet_size);
  guint8 pool[64];
  gsize pool_used = sizeof pool;
  char *password;

  g_return_val_if_fail (length >= 8, NULL);

  password = g_malloc0 (length + 1);

  do
    {
      for (guint i = 0; i < length;)
        {
          guint8 byte;

          if (pool_used == sizeof pool)
            {
              if (!esc_service_crypto_random_bytes (pool, sizeof pool, error))
                {
                  explicit_bzero (pool, sizeof pool);
                  esc_service_crypto_free_secret (password);
                  return NULL;
                }
              pool_used = 0;
            }

          byte = pool[pool_used++];
          if (byte >= limit)
            continue;

          password[i++] = password_alphabet[byte % alphabet_size];
        }
    }
  while (!has_every_class (password));

  explicit_bzero (pool, sizeof pool);

  return password;
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

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
hmac_sha256 (const guint8 *key,
             gsize         key_length,
             const guint8 *data,
             gsize         data_length,
             guint8        out[BLOCK_LENGTH])
{
  GHmac *hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_length);
  gsize out_length = BLOCK_LENGTH;

  g_hmac_update (hmac, data, data_length);
  g_hmac_get_digest (hmac, out, &out_length);
  g_hmac_unref (hmac);

  g_assert (out_length == BLOCK_LENGTH);
}

/**
 * esc_service_secret_box_new:
 * @key: (array length=key_length): the master key
 * @key_length: %ESC_SERVICE_SECRET_KEY_LENGTH
 *
 * Returns: (transfer full): a box that seals and opens with keys derived from @key
 */
EscServiceSecretBox *
esc_service_secret_box_new (const guint8 *key,
                            gsize         key_length)
{
  static const char encryption_label[] = "escalade-service secret box v1 encryption";
  static const char authentication_label[] = "escalade-service secret box v1 authentication";
  EscServiceSecretBox *self;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (key_length == ESC_SERVICE_SECRET_KEY_LENGTH, NULL);

  self = g_new0 (EscServiceSecretBox, 1);
  hmac_sha256 (key, key_length, (const guint8 *)encryption_label,
               strlen (encryption_label), self->encryption_key);
  hmac_sha256 (key, key_length, (const guint8 *)authentication_label,
               strlen (authentication_label), self->authentication_key);

  return self;
}

void
esc_service_secret_box_free (EscServiceSecretBox *self)
{
  if (self == NULL)
    return;

  explicit_bzero (self, sizeof *self);
  g_free (self);
}

static gboolean
read_key_file (const char  *key_file,
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

  if (!S_ISREG (st.st_mode) || st.st_uid != geteuid () || (st.st_mode & 077) != 0)
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
          explicit_bzero (key, ESC_SERVICE_SECRET_KEY_LENGTH);
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

/* Writes a new key to a private temporary file, then links it into place, so
 * that a reader never sees a half-written key and two processes creating it
 * at once agree on one. */
static gboolean
create_key_file (const char  *key_file,
                 GError     **error)
{
  g_autofree char *tmp = g_strconcat (key_file, ".XXXXXX", NULL);
  guint8 key[ESC_SERVICE_SECRET_KEY_LENGTH];
  gsize done = 0;
  int saved_errno = 0;
  int fd;

  if (!esc_service_crypto_random_bytes (key, sizeof key, error))
    return FALSE;

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      explicit_bzero (key, sizeof key);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the key file “%s”: %s"),
                   key_file, g_strerror (saved_errno));
      return FALSE;
    }

  while (done < sizeof key)
    {
      ssize_t n = write (fd, key + done, sizeof key - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          saved_errno = n < 0 ? errno : EIO;
          break;
        }
      done += (gsize)n;
    }
  explicit_bzero (key, sizeof key);

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

/**
 * esc_service_secret_box_load:
 * @key_file: the master key file, "<database>.key"
 * @error: return location for a #GError
 *
 * Reads the master key, creating the file with a new random key (mode 0600)
 * if it does not exist. A key file that others may read is refused.
 *
 * Returns: (transfer full): the box, or %NULL
 */
EscServiceSecretBox *
esc_service_secret_box_load (const char  *key_file,
                             GError     **error)
{
  guint8 key[ESC_SERVICE_SECRET_KEY_LENGTH];
  EscServiceSecretBox *self;

  g_return_val_if_fail (key_file != NULL, NULL);

  if (!g_file_test (key_file, G_FILE_TEST_EXISTS) &&
      !create_key_file (key_file, error))
    return NULL;

  if (!read_key_file (key_file, key, error))
    return NULL;

  self = esc_service_secret_box_new (key, sizeof key);
  explicit_bzero (key, sizeof key);

  return self;
}

static void
compute_tag (EscServiceSecretBox *self,
             const char          *associated_data,
             const guint8        *nonce_and_ciphertext,
             gsize                length,
             guint8               tag[TAG_LENGTH])
{
  GHmac *hmac = g_hmac_new (G_CHECKSUM_SHA256, self->authentication_key,
                            sizeof self->authentication_key);
  gsize ad_length = associated_data ? strlen (associated_data) : 0;
  guint32 ad_length_be = GUINT32_TO_BE ((guint32)ad_length);
  gsize tag_length = TAG_LENGTH;

  g_hmac_update (hmac, (const guchar *)"v1", 2);
  g_hmac_update (hmac, (const guchar *)&ad_length_be, sizeof ad_length_be);
  if (ad_length > 0)
    g_hmac_update (hmac, (const guchar *)associated_data, ad_length);
  g_hmac_update (hmac, nonce_and_ciphertext, length);
  g_hmac_get_digest (hmac, tag, &tag_length);
  g_hmac_unref (hmac);
}

/* XORs @data in place with the keystream for @nonce. */
static void
apply_keystream (EscServiceSecretBox *self,
                 const guint8         nonce[NONCE_LENGTH],
                 guint8              *data,
                 gsize                length)
{
  GHmac *keyed = g_hmac_new (G_CHECKSUM_SHA256, self->encryption_key,
                             sizeof self->encryption_key);
  guint8 block[BLOCK_LENGTH];

  for (guint64 counter = 0; counter * BLOCK_LENGTH < length; counter++)
    {
      GHmac *hmac = g_hmac_copy (keyed);
      guint64 counter_be = GUINT64_TO_BE (counter);
      gsize block_length = sizeof block;
      gsize offset = counter * BLOCK_LENGTH;

      g_hmac_update (hmac, nonce, NONCE_LENGTH);
      g_hmac_update (hmac, (const guchar *)&counter_be, sizeof counter_be);
      g_hmac_get_digest (hmac, block, &block_length);
      g_hmac_unref (hmac);

      for (gsize i = 0; i < BLOCK_LENGTH && offset + i < length; i++)
        data[offset + i] ^= block[i];
    }

  explicit_bzero (block, sizeof block);
  g_hmac_unref (keyed);
}

/**
 * esc_service_secret_box_seal:
 * @self: a #EscServiceSecretBox
 * @plaintext: the secret
 * @associated_data: (nullable): what the secret belongs to, e.g. "device-password:42";
 *   the same must be given to open it
 * @error: return location for a #GError
 *
 * Returns: (transfer full): "v1:" and base64 text, safe to store
 */
char *
esc_service_secret_box_seal (EscServiceSecretBox  *self,
                             const char           *plaintext,
                             const char           *associated_data,
                             GError              **error)
{
  gsize length;
  gsize total;
  guint8 *buffer;
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (plaintext != NULL, NULL);

  length = strlen (plaintext);
  total = NONCE_LENGTH + length + TAG_LENGTH;
  buffer = g_malloc (total);

  if (!esc_service_crypto_random_bytes (buffer, NONCE_LENGTH, error))
    {
      g_free (buffer);
      return NULL;
    }

  memcpy (buffer + NONCE_LENGTH, plaintext, length);
  apply_keystream (self, buffer, buffer + NONCE_LENGTH, length);
  compute_tag (self, associated_data, buffer, NONCE_LENGTH + length,
               buffer + NONCE_LENGTH + length);

  encoded = g_base64_encode (buffer, total);
  g_free (buffer);

  return g_strconcat (SEALED_PREFIX, encoded, NULL);
}

/**
 * esc_service_secret_box_open:
 * @self: a #EscServiceSecretBox
 * @sealed: text from esc_service_secret_box_seal()
 * @associated_data: (nullable): the same as given to seal
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the secret, or %NULL with %ESC_SERVICE_ERROR_FAILED
 *   if @sealed was altered, belongs to other associated data or another key;
 *   free it with esc_service_crypto_free_secret()
 */
char *
esc_service_secret_box_open (EscServiceSecretBox  *self,
                             const char           *sealed,
                             const char           *associated_data,
                             GError              **error)
{
  g_autofree guint8 *decoded = NULL;
  guint8 tag[TAG_LENGTH];
  guint8 difference = 0;
  gsize decoded_length = 0;
  gsize length;
  char *plaintext;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sealed != NULL, NULL);

  if (!g_str_has_prefix (sealed, SEALED_PREFIX) || strlen (sealed) > MAX_SEALED_LENGTH)
    goto invalid;

  decoded = g_base64_decode (sealed + strlen (SEALED_PREFIX), &decoded_length);
  if (decoded == NULL || decoded_length < NONCE_LENGTH + TAG_LENGTH)
    goto invalid;

  length = decoded_length - NONCE_LENGTH - TAG_LENGTH;
  compute_tag (self, associated_data, decoded, NONCE_LENGTH + length, tag);

  /* Constant time: how much of the tag matches must not show in the timing. */
  for (gsize i = 0; i < TAG_LENGTH; i++)
    difference |= tag[i] ^ decoded[NONCE_LENGTH + length + i];
  if (difference != 0)
    goto invalid;

  apply_keystream (self, decoded, decoded + NONCE_LENGTH, length);
  plaintext = g_malloc (length + 1);
  memcpy (plaintext, decoded + NONCE_LENGTH, length);
  plaintext[length] = '\0';
  explicit_bzero (decoded, decoded_length);

  if (memchr (plaintext, '\0', length) != NULL || !g_utf8_validate (plaintext, length, NULL))
    {
      esc_service_crypto_free_secret (plaintext);
      goto invalid;
    }

  return plaintext;

invalid:
  g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                       _("A stored secret could not be decrypted: it was altered, or the "
                         "key file does not belong to this database"));
  return NULL;
}
