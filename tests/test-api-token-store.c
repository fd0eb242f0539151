/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <libsecret/secret.h>

#include "esc-test-keyring.h"
#include "esc-token-store-private.h"

#define SERVICE_A "http://127.0.0.1:8080"
#define SERVICE_B "https://escalade.example.org"

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
await_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
save_token (const char *service_url,
            const char *user,
            const char *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  esc_token_store_save_async (service_url, user, token, NULL, on_result_cb, &result);
  g_assert_true (esc_token_store_save_finish (await_result (&result), &error));
  g_assert_no_error (error);
}

static char *
lookup_token (const char *service_url,
              const char *user)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  esc_token_store_lookup_async (service_url, user, NULL, on_result_cb, &result);
  token = esc_token_store_lookup_finish (await_result (&result), &error);
  g_assert_no_error (error);

  return token;
}

static void
clear_token (const char *service_url,
             const char *user)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  esc_token_store_clear_async (service_url, user, NULL, on_result_cb, &result);
  g_assert_true (esc_token_store_clear_finish (await_result (&result), &error));
  g_assert_no_error (error);
}

static void
assert_token (const char *service_url,
              const char *user,
              const char *expected)
{
  char *token = lookup_token (service_url, user);

  g_assert_cmpstr (token, ==, expected);
  esc_token_store_free_token (token);
}

static void
test_save_lookup_clear (void)
{
  assert_token (SERVICE_A, "camille", NULL);

  save_token (SERVICE_A, "camille", "tok-camille-1");
  assert_token (SERVICE_A, "camille", "tok-camille-1");

  /* Another user, another service, or a prefix of either: nothing. */
  assert_token (SERVICE_A, "dominique", NULL);
  assert_token (SERVICE_B, "camille", NULL);
  assert_token (SERVICE_A, "cam", NULL);
  assert_token ("http://127.0.0.1", "camille", NULL);

  /* Saving again replaces the token. */
  save_token (SERVICE_A, "camille", "tok-camille-2");
  assert_token (SERVICE_A, "camille", "tok-camille-2");

  clear_token (SERVICE_A, "camille");
  assert_token (SERVICE_A, "camille", NULL);

  /* Clearing what is not there is not an error. */
  clear_token (SERVICE_A, "camille");
}

static void
test_accounts_coexist (void)
{
  save_token (SERVICE_A, "camille", "tok-a-camille");
  save_token (SERVICE_A, "dominique", "tok-a-dominique");
  save_token (SERVICE_B, "camille", "tok-b-camille");

  assert_token (SERVICE_A, "camille", "tok-a-camille");
  assert_token (SERVICE_A, "dominique", "tok-a-dominique");
  assert_token (SERVICE_B, "camille", "tok-b-camille");

  clear_token (SERVICE_A, "camille");
  assert_token (SERVICE_A, "camille", NULL);
  assert_token (SERVICE_A, "dominique", "tok-a-dominique");
  assert_token (SERVICE_B, "camille", "tok-b-camille");

  clear_token (SERVICE_A, "dominique");
  clear_token (SERVICE_B, "camille");
  assert_token (SERVICE_A, "dominique", NULL);
  assert_token (SERVICE_B, "camille", NULL);
}

static void
test_schema (void)
{
  const SecretSchema *schema = esc_token_store_get_schema ();
  static const SecretSchema other_schema = {
    "org.example.Other.Token", SECRET_SCHEMA_NONE,
    {
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GList *items;
  char *secret;

  g_assert_cmpstr (schema->name, ==, "io.github.escalade.Escalade.Token");
  g_assert_cmpint (schema->flags, ==, SECRET_SCHEMA_NONE);
  g_assert_cmpstr (schema->attributes[0].name, ==, "service");
  g_assert_cmpint (schema->attributes[0].type, ==, SECRET_SCHEMA_ATTRIBUTE_STRING);
  g_assert_cmpstr (schema->attributes[1].name, ==, "user");
  g_assert_cmpint (schema->attributes[1].type, ==, SECRET_SCHEMA_ATTRIBUTE_STRING);
  g_assert_null (schema->attributes[2].name);

  save_token (SERVICE_A, "camille", "tok-schema");

  /* The item is found through the schema, as any other program would. */
  secret = secret_password_lookup_sync (schema, NULL, &error,
                                        "service", SERVICE_A,
                                        "user", "camille",
                                        NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "tok-schema");
  secret_password_free (secret);

  /* ... and not through another schema with the same attributes. */
  secret = secret_password_lookup_sync (&other_schema, NULL, &error,
                                        "service", SERVICE_A,
                                        "user", "camille",
                                        NULL);
  g_assert_no_error (error);
  g_assert_null (secret);

  items = secret_password_search_sync (schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "service", SERVICE_A,
                                       "user", "camille",
                                       NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);

  attributes = secret_retrievable_get_attributes (items->data);
  label = secret_retrievable_get_label (items->data);
  g_list_free_full (items, g_object_unref);

  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, "io.github.escalade.Escalade.Token");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "service"), ==, SERVICE_A);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "user"), ==, "camille");
  g_assert_cmpuint (g_hash_table_size (attributes), ==, 3);
  g_assert_cmpstr (label, ==, "Escalade token for camille at " SERVICE_A);

  clear_token (SERVICE_A, "camille");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  EscTestKeyring *keyring;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Before anything talks to a session bus: never the user's own keyring. */
  keyring = esc_test_keyring_start (&error);
  g_assert_no_error (error);

  g_test_add_func ("/api/token-store/save-lookup-clear", test_save_lookup_clear);
  g_test_add_func ("/api/token-store/accounts-coexist", test_accounts_coexist);
  g_test_add_func ("/api/token-store/schema", test_schema);

  ret = g_test_run ();

  secret_service_disconnect ();
  esc_test_keyring_stop (keyring);

  return ret;
}
