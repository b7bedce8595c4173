# Sends odd input to every endpoint of a running Guichet and lists each answer that is a 5xx, no answer, or an /api
# error that is not application/problem+json. A manual check, not part of the tests (those pin each case found).
#   APP_DATA_DIR=/tmp/fuzz APP_ADMIN_TOKEN=tok SERVER_PORT=18181 java -jar target/guichet-*.jar &
#   python3 scripts/http-fuzz/fuzz.py          # prints "bad: 0" when every answer was as it should be
# It posts unsigned Twilio webhooks, so the service must run without TWILIO_AUTH_TOKEN (loopback callers allowed).
import json, os, urllib.request, urllib.error
BASE = os.environ.get("GUICHET_URL", "http://localhost:18181")
AUTH = {"Authorization": "Bearer " + os.environ.get("APP_ADMIN_TOKEN", "tok")}
bad = []
def req(method, path, body=None, headers=None, ctype=None):
    h = dict(headers or {})
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        h["Content-Type"] = ctype or "application/json"
    r = urllib.request.Request(BASE + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(r, timeout=20) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()[:300]
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()[:300]
    except Exception as e:
        return -1, "", str(e).encode()
def check(method, path, body=None, headers=None, ctype=None):
    s, ct, b = req(method, path, body, headers, ctype)
    problem = path.startswith("/api") and s >= 400 and "problem+json" not in ct
    if s >= 500 or s == -1 or problem:
        bad.append((s, ct, method, path[:120], (body or "")[:80] if isinstance(body, str) else "", b[:200]))
weird = ["0", "-1", "99999999999999999999", "abc", "%00", "..%2F..%2Fetc", "%E2%80%AE", "a" * 300, "%F0%9F%98%80", "null", "1e9", "%20", "%27%20OR%201%3D1--"]
# path params
for w in weird:
    for p in ["/api/v1/appointments/%s?phone=%%2B33612345678", "/api/v1/appointments/%s", "/api/v1/admin/workers/%s",
              "/twilio/audio/%s/x.wav", "/twilio/audio/fr/%s"]:
        check("GET", p % w, headers=AUTH)
    for p in ["/api/v1/admin/appointments/%s/attended", "/api/v1/admin/appointments/%s/no-show", "/api/v1/admin/appointments/%s/recepisse",
              "/api/v1/admin/appointments/%s/decision", "/api/v1/admin/callbacks/%s/done", "/api/v1/admin/workers/%s/deactivate"]:
        check("POST", p % w, body="{}", headers=AUTH)
        check("POST", p % w, body="[", headers=AUTH)
    check("DELETE", "/api/v1/appointments/%s?phone=%s" % (w, w))
    check("DELETE", "/api/v1/admin/workers/%s" % w, headers=AUTH)
    check("PUT", "/api/v1/admin/workers/%s/pin" % w, body='{"pin":"1234"}', headers=AUTH)
    check("POST", "/api/v1/appointments/%s/move?phone=%s" % (w, w), body='{"slotId":1}', headers={"Idempotency-Key": "k" + w[:20]})
# query params
for w in weird:
    for q in ["site=%s&procedure=AES_VIE_PRIVEE", "site=GRENOBLE&procedure=%s", "procedure=AES_VIE_PRIVEE&from=%s", "procedure=AES_VIE_PRIVEE&to=%s", "procedure=AES_VIE_PRIVEE&limit=%s"]:
        check("GET", "/api/v1/slots?" + (q % w))
    check("GET", "/api/v1/admin/appointments?site=%s&date=%s" % (w, w), headers=AUTH)
    check("GET", "/api/v1/admin/reminders?day=%s&site=%s" % (w, w), headers=AUTH)
    check("GET", "/api/v1/admin/callbacks?limit=%s" % w, headers=AUTH)
    check("GET", "/api/v1/admin/sms/numbers?limit=%s" % w, headers=AUTH)
    check("GET", "/api/v1/procedures", headers={"Accept-Language": w})
# bodies
bodies = ["", "[", "[]", "{}", "null", "1", '"x"', '{"slotId":"x"}', '{"slotId":1e400}', '{"slotId":-1,"procedure":null,"applicant":null}',
          '{"slotId":1,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"","birthDate":"2099-99-99","phone":"0","language":"zz"}}',
          '{"slotId":1,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"x","birthDate":"1990-01-01","phone":"+33612345678","language":"fr","extra":[1,2]}}',
          '{"slotId":9223372036854775807,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"x","birthDate":"1990-01-01","phone":"+33612345678","language":"fr"}}',
          '{"slotId":1,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"x","birthDate":"0001-01-01","phone":"+33612345678","language":"fr"}}',
          '{"slotId":1,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"\u0000","birthDate":"1990-01-01","phone":"+33612345678","language":"fr"}}',
          '{"procedure":"AES_VIE_PRIVEE","site":"GRENOBLE","applicant":{"name":"x","birthDate":"1990-01-01","phone":"+33612345678","language":"fr"},"documentExpiry":"1900-01-01"}',
          '{"site":"GRENOBLE","start":"2027-01-01T10:00:00Z","durationMinutes":0,"capacity":-5}',
          '{"site":"GRENOBLE","from":"2027-01-10","to":"2027-01-01","durationMinutes":15,"capacity":2}',
          '{"site":"GRENOBLE","start":"not a date","durationMinutes":15,"capacity":2,"procedures":[null]}',
          '{"name":null,"organisation":"' + "x"*5000 + '","phone":"+33612345678","pin":"1"}',
          '{"decision":"xyz"}', '{"expiry":"2020-13-45"}']
for b in bodies:
    for p, h in [("/api/v1/appointments", {"Idempotency-Key": "fz-" + str(abs(hash(b)))}), ("/api/v1/appointments", {}),
                 ("/api/v1/requests", {"Idempotency-Key": "fr-" + str(abs(hash(b)))}), ("/api/v1/requests", {}),
                 ("/api/v1/admin/slots", AUTH), ("/api/v1/admin/workers", AUTH), ("/api/v1/admin/queue/allocate", AUTH)]:
        check("POST", p, body=b, headers=h)
    check("POST", "/api/v1/appointments", body=b, headers={"Idempotency-Key": "x"*500})
    check("POST", "/api/v1/appointments", body=b, headers={"Idempotency-Key": "fz2"}, ctype="text/plain")
    check("POST", "/api/v1/appointments", body=b, headers={"Idempotency-Key": "fz3"}, ctype="application/json; charset=latin-9")
# twilio form endpoints from loopback (no auth token configured)
forms = ["", "From=&Body=", "From=%2B33612345678", "Body=hello", "From=not-a-number&Body=1&MessageSid=SM1",
         "From=%2B33612345678&Body=" + "%F0%9F%98%80" * 200 + "&MessageSid=SM2", "From=%2B33612345678&Body=%00&MessageSid=SM3",
         "CallSid=&From=", "CallSid=CA1&From=%2B33612345678", "CallSid=CA1&From=%2B33612345678&Digits=" + "9" * 500,
         "CallSid=CA2&From=anonymous&Digits=1", "MessageSid=SM9&MessageStatus=weird", "CallSid=CA3&CallStatus=&CallDuration=abc"]
for f in forms:
    for p in ["/twilio/sms", "/twilio/sms/status", "/twilio/voice", "/twilio/voice/step", "/twilio/voice/step?n=abc", "/twilio/voice/step?n=-5",
              "/twilio/voice/status", "/twilio/voice/reminder", "/twilio/voice/reminder?n=2&ref=zzz", "/twilio/voice/reminder-call",
              "/twilio/voice/reminder-call?r=abc", "/twilio/voice/reminder-call?r=999999", "/twilio/voice/reminder-call/status?r=x",
              "/twilio/voice/reminder-call/keys?r=1&n=x", "/twilio/voice/language?n=1&page=999999999999", "/twilio/voice/dialed?n=x"]:
        check("POST", p, body=f, ctype="application/x-www-form-urlencoded")
    check("POST", "/twilio/sms", body=f, ctype="application/json")
check("POST", "/api/v1/appointments", body="{" + '"a":"' + "x" * (5 * 1024 * 1024) + '"}', headers={"Idempotency-Key": "big"})
check("POST", "/twilio/sms", body="Body=" + "x" * (5 * 1024 * 1024), ctype="application/x-www-form-urlencoded")
for b in bad: print(b)
print("bad:", len(bad))
