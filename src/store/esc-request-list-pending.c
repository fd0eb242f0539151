/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <string.h>

#include "esc-request-list-private.h"

/* The pending model ------------------------------------------------------------- */

/* The queued and refused new requests of the outbox that pass the query,
 * shown above the service's (esc_request_list_get_pending()). */

/**
 * esc_request_list_dup_pending_request:
 * @item: an outbox item of kind %ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the request its body files
 */
EscSupportRequest *
esc_request_list_dup_pending_request (EscOutboxItem  *item,
                                      GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (item), NULL);

  if (!json_parser_load_from_data (parser, esc_outbox_item_get_body (item), -1, error))
    return NULL;

  return esc_support_request_new_from_json (json_parser_get_root (parser),
                                            ESC_SUPPORT_REQUEST_JSON_CREATE, NULL, error);
}

static gboolean
pending_matches (EscOutboxItem         *item,
                 const EscRequestQuery *query,
                 GPtrArray             *words)
{
  g_autoptr(EscSupportRequest) request = NULL;
  g_autoptr(GString) haystack = NULL;
  g_autofree char *folded = NULL;
  guint state_bits = query->states & (ESC_REQUEST_STATES_QUEUED | ESC_REQUEST_STATES_REFUSED);

  if (state_bits != 0)
    {
      guint bit = esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_REFUSED
                    ? ESC_REQUEST_STATES_REFUSED : ESC_REQUEST_STATES_QUEUED;

      if ((state_bits & bit) == 0)
        return FALSE;
    }

  request = esc_request_list_dup_pending_request (item, NULL);
  if (request == NULL)
    {
      /* Shown as long as nothing but its title is asked about */
      if (query->kinds != 0 || query->types != 0 || query->severities != 0)
        return FALSE;
      haystack = g_string_new (esc_outbox_item_get_title (item));
    }
  else
    {
      const char * const *devices = esc_support_request_get_devices (request);

      if (!esc_request_list_in_mask (query->kinds, (gint8)esc_support_request_get_kind (request)) ||
          !esc_request_list_in_mask (query->types, (gint8)esc_support_request_get_request_type (request)) ||
          !esc_request_list_in_mask (query->severities, (gint8)esc_support_request_get_severity (request)))
        return FALSE;

      haystack = g_string_new (esc_support_request_get_title (request));
      g_string_append_c (haystack, '\n');
      g_string_append (haystack, esc_support_request_get_description (request));
      for (guint i = 0; devices != NULL && devices[i] != NULL; i++)
        {
          g_string_append_c (haystack, '\n');
          g_string_append (haystack, devices[i]);
        }
    }

  if (words->len == 0)
    return TRUE;

  folded = esc_request_list_fold (haystack->str);
  for (guint i = 0; i < words->len; i++)
    {
      if (strstr (folded, g_ptr_array_index (words, i)) == NULL)
        return FALSE;
    }

  return TRUE;
}

void
esc_request_list_update_pending (EscRequestList *self)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) words = NULL;
  const char *service = esc_mirror_get_service (self->mirror);
  GListModel *items;
  guint n, n_total = 0;

  if (self->outbox != NULL && service != NULL)
    {
      words = esc_request_list_search_words (self->query.text, NULL);
      for (guint i = 0; i < words->len; i++)
        {
          char *folded = esc_request_list_fold (g_ptr_array_index (words, i));

          g_free (g_ptr_array_index (words, i));
          g_ptr_array_index (words, i) = folded;
        }

      items = esc_outbox_get_items (self->outbox);
      n = g_list_model_get_n_items (items);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(EscOutboxItem) item = g_list_model_get_item (items, i);

          if (esc_outbox_item_get_kind (item) != ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST ||
              g_strcmp0 (esc_outbox_item_get_service (item), service) != 0)
            continue;
          n_total++;
          if (pending_matches (item, &self->query, words))
            g_ptr_array_add (shown, g_steal_pointer (&item));
        }
    }
  self->n_pending_total = n_total;

  /* Keep the model still when nothing changed (outbox snapshots are replaced on change). */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->pending));
  if (n == shown->len)
    {
      gboolean same = TRUE;

      for (guint i = 0; same && i < n; i++)
        {
          g_autoptr(EscOutboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->pending), i);

          same = item == g_ptr_array_index (shown, i);
        }
      if (same)
        return;
    }

  g_list_store_splice (self->pending, 0, n, shown->pdata, shown->len);
}
