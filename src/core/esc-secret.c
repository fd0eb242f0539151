/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include "esc-secret.h"

/**
 * esc_secret_wipe_string:
 * @str: (nullable): a string holding a secret, such as a bearer token
 *
 * Overwrites @str with zeros in a way the compiler may not optimise away,
 * so that a freed token does not linger in the heap.
 */
void
esc_secret_wipe_string (char *str)
{
  gsize len;

  if (str == NULL)
    return;

  len = strlen (str);
#ifdef HAVE_EXPLICIT_BZERO
  explicit_bzero (str, len);
#else
  {
    volatile char *p = str;

    while (len-- > 0)
      *p++ = '\0';
  }
#endif
}

/**
 * esc_secret_free:
 * @str: (nullable): a string holding a secret, allocated with g_malloc()
 *
 * Wipes then frees @str.
 */
void
esc_secret_free (char *str)
{
  esc_secret_wipe_string (str);
  g_free (str);
}

/**
 * esc_secret_wipe:
 * @data: (nullable): memory that held a secret
 * @size: its size
 *
 * Overwrites @data with zeros.
 */
void
esc_secret_wipe (gpointer data,
                 gsize    size)
{
  if (data == NULL || size == 0)
    return;

#ifdef HAVE_EXPLICIT_BZERO
  explicit_bzero (data, size);
#else
  {
    volatile guchar *p = data;

    while (size-- > 0)
      *p++ = 0;
  }
#endif
}

/**
 * esc_secret_wipe_bytes:
 * @bytes: (nullable): an answer that held a secret, referenced only by the caller
 *
 * Overwrites the memory of @bytes with zeros.
 */
void
esc_secret_wipe_bytes (GBytes *bytes)
{
  gsize size = 0;
  gpointer data;

  if (bytes == NULL)
    return;

  /* GBytes is immutable by contract, not in memory: we own its only reference. */
  data = (gpointer)g_bytes_get_data (bytes, &size);
  esc_secret_wipe (data, size);
}
