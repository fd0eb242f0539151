#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of fuzz-service-request: one raw HTTP/1.1 exchange per file, with
token placeholders ($ADMIN, $STAFF, $PLAIN, $PARTNER, $OPERATOR; see fuzz-service-request.c).
Run it again when the API grows: fuzz/make-service-corpus.py fuzz/corpus/service-request"""

import json
import os
import sys

ESCALATION = {
    "kind": "escalation", "type": "incident", "severity": "C",
    "category": "devices", "subcategory": "configuration-policy",
    "title": "Printer driver blocked by policy", "description": "Since the last update.",
    "contact": {"given_name": "Camille", "surname": "Martin", "email": "camille@example.org",
                "phone": "+33 1 23 45 67 89", "preferred_method": "email", "language": "fr"},
    "users_or_devices_impacted": 12, "devices": ["MMD-00000000001"],
    "related_ticket": "INC0012345",
}
ADMIN = dict(ESCALATION, kind="admin", severity="B", engagement="24x7",
             type="request-for-information", business_impact="A floor cannot print.",
             first_noticed_at="2026-05-01T08:00:00Z", reproduced_on_unmanaged_device=False,
             end_user_support_engaged=True, troubleshooting_steps="Rebooted.",
             steps_to_reproduce="Print a page.")
ELEVATION = {"ticket_id": "INC0099", "device": "MMD-00000000001", "category": "apps",
             "subcategory": "line-of-business", "title": "Repair the LOB app",
             "plan_of_action": "Run the repair tool elevated."}

PARIS = {"name": "Bureau de Paris", "time_zone": "Europe/Paris",
         "week": {"monday": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}],
                  "friday": [{"start": "09:00", "end": "17:00"}]},
         "holidays": [{"date": "2026-05-01", "name": "Fête du travail"}],
         "closures": [{"from": "2026-08-03", "to": "2026-08-14", "reason": "Fermeture"}]}
TERMS = {"title": "Support utilisateurs", "calendar_id": "paris",
         "targets": {"A": {"first_response_minutes": 60, "always_open": True},
                     "B": {"first_response_minutes": 240, "update_minutes": 720},
                     "C": {"first_response_minutes": 480, "resolution_minutes": 4800}},
         "warnings": [{"percent": 50, "notify": ["partner-manager"]}, {"percent": 100}],
         "response_rule": "An engineer contacts the user.", "response_events": ["responded"]}


def request(method, path, token=None, body=None, headers=(), content_type="application/json"):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    lines.extend(headers)
    data = b""
    if body is not None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(data)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


CORPUS = {
    "me-admin": request("GET", "/v1/me", "$ADMIN"),
    "me-no-token": request("GET", "/v1/me"),
    "me-bad-token": request("GET", "/v1/me", "esc_not-a-token"),
    "head-me": request("HEAD", "/v1/me", "$STAFF"),
    "escalation": request("POST", "/v1/support-requests", "$STAFF", ESCALATION,
                          ["Idempotency-Key: 6f1c2d7e-0000-4000-8000-000000000001"]),
    "escalation-severity-a": request("POST", "/v1/support-requests", "$STAFF",
                                     dict(ESCALATION, severity="A")),
    "admin-request": request("POST", "/v1/support-requests", "$ADMIN", ADMIN),
    "list-requests": request("GET", "/v1/support-requests?updated_since=2026-01-01T00:00:00Z"
                             "&limit=2", "$ADMIN"),
    "get-request": request("GET", "/v1/support-requests/SR-000001", "$STAFF"),
    "patch-request": request("PATCH", "/v1/support-requests/SR-000001", "$ADMIN",
                             {"severity": "C", "notes": "Downgraded."},
                             content_type="application/merge-patch+json"),
    "comment": request("POST", "/v1/support-requests/SR-000001/comments", "$STAFF",
                       {"text": "Any news?"}),
    "reactivate": request("POST", "/v1/support-requests/SR-000001/reactivate", "$ADMIN", {}),
    "staff": request("GET", "/v1/staff", "$ADMIN"),
    "designations": request("PUT", "/v1/staff/3/designations", "$ADMIN",
                            {"designations": [{"capability": "escalation", "reason": "On call",
                                               "expires_at": "2027-01-01T00:00:00Z"}]}),
    "devices": request("GET", "/v1/devices?query=MMD", "$STAFF"),
    "elevation": request("POST", "/v1/elevation-requests", "$STAFF", ELEVATION),
    "elevation-list": request("GET", "/v1/elevation-requests", "$STAFF"),
    "elevation-password": request("GET", "/v1/elevation-requests/ER-000001/password", "$STAFF"),
    "elevation-renew": request("POST", "/v1/elevation-requests/ER-000001/renew", "$STAFF", {}),
    "elevation-close": request("POST", "/v1/elevation-requests/ER-000001/close", "$STAFF",
                               {"actions_taken": "Repaired the app."}),
    "admin-contacts": request("GET", "/v1/admin-contacts", "$ADMIN"),
    "admin-contact-put": request("PUT", "/v1/admin-contacts/devices", "$ADMIN",
                                 {"given_name": "Léa", "surname": "Petit",
                                  "email": "lea@example.org", "phone": "+33 1 98 76 54 32",
                                  "preferred_method": "phone", "language": "fr"}),
    "audit": request("GET", "/v1/audit?after=0", "$ADMIN"),
    "not-found": request("GET", "/v2/nothing", "$ADMIN"),
    "method-not-allowed": request("DELETE", "/v1/me", "$ADMIN"),
    "bad-json": request("POST", "/v1/support-requests", "$ADMIN", "{\"kind\": "),
    "wrong-type": request("POST", "/v1/support-requests", "$ADMIN", ADMIN,
                          content_type="text/plain"),
    "pipelined": request("GET", "/v1/me", "$PARTNER") + request("GET", "/v1/me", "$OPERATOR")
                 + request("GET", "/v1/staff", "$PLAIN"),
    "elevation-lifecycle": (request("POST", "/v1/elevation-requests", "$STAFF", ELEVATION)
                            + request("GET", "/v1/elevation-requests/ER-000001/password",
                                      "$STAFF")
                            + request("POST", "/v1/elevation-requests/ER-000001/renew",
                                      "$STAFF", {})
                            + request("POST", "/v1/elevation-requests/ER-000001/close",
                                      "$STAFF", {"actions_taken": "Repaired the app."})),
    "request-lifecycle": (request("POST", "/v1/support-requests", "$STAFF", ESCALATION)
                          + request("GET", "/v1/support-requests/SR-000001", "$STAFF")
                          + request("POST", "/v1/support-requests/SR-000001/comments",
                                    "$STAFF", {"text": "More details."})
                          + request("PATCH", "/v1/support-requests/SR-000001", "$ADMIN",
                                    {"notes": "Seen."},
                                    content_type="application/merge-patch+json")),
    "sla-calendars": request("GET", "/v1/sla-calendars", "$PARTNER"),
    "sla-calendar-put": request("PUT", "/v1/sla-calendars/paris", "$PARTNER", PARIS),
    "sla-calendar-put-if-match": request("PUT", "/v1/sla-calendars/paris", "$PARTNER", PARIS,
                                         ["If-Match: \"calendar-1\""]),
    "sla-admin-hours-put": request("PUT", "/v1/sla-calendars/admin-hours", "$ADMIN",
                                   dict(PARIS, name="Admin support hours")),
    "sla-agreement-create": request("POST", "/v1/sla-agreements", "$PARTNER", TERMS,
                                    ["Idempotency-Key: 6f1c2d7e-0000-4000-8000-000000000011"]),
    "sla-agreement-accept": request("POST", "/v1/sla-agreements/SLA-000001/versions/1/accept",
                                    "$ADMIN", {}, ["If-Match: \"version-1\""]),
    "sla-agreement-accept-as": request("POST", "/v1/sla-agreements/SLA-000001/versions/1/accept",
                                       "$PARTNER", {"as": "partner-manager"}),
    "sla-version-put": request("PUT", "/v1/sla-agreements/SLA-000001/versions/1", "$PARTNER",
                               TERMS),
    "sla-version-new": request("POST", "/v1/sla-agreements/SLA-000001/versions", "$PARTNER",
                               TERMS),
    "sla-agreement-history": request("GET", "/v1/sla-agreements/SLA-000001", "$ADMIN"),
    "sla-agreements": request("GET", "/v1/sla-agreements", "$PARTNER"),
    "sla-version-retire": request("POST", "/v1/sla-agreements/SLA-000001/versions/1/retire",
                                  "$ADMIN"),
    "chunked": (b"POST /v1/support-requests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $STAFF"
                b"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"5\r\n{\"kin\r\n0\r\n\r\n"),
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus",
                                                          "service-request")
os.makedirs(out, exist_ok=True)
for name, data in CORPUS.items():
    with open(os.path.join(out, name + ".http"), "wb") as f:
        f.write(data)
