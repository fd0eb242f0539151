/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-client.h"

/* The checks of a service address, for esc_client_set_base_url() and the
 * forms that ask for one: pure string work, no I/O. */

static gboolean
host_is_valid (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;

  /* GUri accepts anything between "//" and the port; a name has letters,
   * digits, hyphens and dots (or non-ASCII letters, for IDN). */
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && (guchar)*p < 0x80)
        return FALSE;
    }

  return TRUE;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* Only a literal address is trusted: a name could resolve anywhere. */
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * esc_client_normalize_url:
 * @base_url: a service's address
 * @error: return location for a #GError
 *
 * Checks @base_url as esc_client_set_base_url() does.
 *
 * Returns: (transfer full): the address as the client keeps it (lower-case
 *   scheme, no trailing slash), or %NULL with %ESC_API_ERROR_INVALID_URL
 */
char *
esc_client_normalize_url (const char  *base_url,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *path = NULL;
  const char *host;
  gsize path_len;

  g_return_val_if_fail (base_url != NULL, NULL);

  input = g_strstrip (g_strdup (base_url));

  if (*input == '\0')
    {
      g_set_error_literal (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                           _("The service address is empty"));
      return NULL;
    }

  scheme = g_uri_parse_scheme (input);
  if (scheme == NULL)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a service address: it must start with https://"),
                   input);
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a service address: it must start with https://"),
                   input);
      return NULL;
    }

  uri = g_uri_parse (input, G_URI_FLAGS_ENCODED_PATH, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address: %s"),
                   input, local_error->message);
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address: it has no host name"),
                   input);
      return NULL;
    }

  if (!host_is_valid (host))
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address: the host name is not valid"),
                   input);
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address: it must not contain a user name or password"),
                   input);
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address: it must not contain “?” or “#”"),
                   input);
      return NULL;
    }

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 && !host_is_loopback (host))
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” uses plain http, which would send your token unencrypted: "
                     "use https://, or http:// only on this computer (127.0.0.1, ::1 or localhost)"),
                   input);
      return NULL;
    }

  path = g_strdup (g_uri_get_path (uri));
  path_len = strlen (path);
  while (path_len > 0 && path[path_len - 1] == '/')
    path[--path_len] = '\0';

  return g_uri_join (G_URI_FLAGS_ENCODED_PATH,
                     g_uri_get_scheme (uri),
                     NULL,
                     host,
                     g_uri_get_port (uri),
                     path,
                     NULL,
                     NULL);
}
