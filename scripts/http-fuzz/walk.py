# Random walks through the SMS and voice conversations of a running Guichet; reports any answer that is not 200
# TwiML, and any reply that is the apology for a technical problem (error.sorry, any language). Mostly plausible
# answers (so walks reach bookings, the queue and renewals), a quarter odd ones. A manual check, like fuzz.py:
#   APP_DATA_DIR=/tmp/fuzz SERVER_PORT=18181 java -jar target/guichet-*.jar &     # no TWILIO_AUTH_TOKEN: loopback
#   python3 scripts/http-fuzz/walk.py SEED WALKS      # e.g. 11 150; prints "bad: 0 in N s" when all went well
import os, random, re, sys, urllib.parse, urllib.request, urllib.error, time
BASE = os.environ.get("GUICHET_URL", "http://localhost:18181")
LOCALES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "locales")
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
SORRY = [l.split(":",1)[1].strip().strip('"')[:40] for f in ["fr","en","ar","es","ru","tr","uk","pt","bn","fa-AF","ps"]
         for l in open(os.path.join(LOCALES, f + ".yaml"), encoding="utf-8") if l.startswith("  error.sorry:")]
WORDS = ["1","2","3","4","5","6","7","8","9","0","10","11","99","*","#","MENU","menu","RETOUR","AIDE","HELP","LANGUE","STOP","START",
         "ARRET","INFO","oui","non","yes","no","1 ","", "  ", "12/03/1990","31/02/2020","1990-03-12","15/03/2027","lundi","matin","après-midi",
         "Amina Diallo","أحمد","Привет","🙂","\u0000","x"*500,"ANNULER","DEPLACER","AUTRE","OK","renouveler","+33612345678","0612345678",
         "01021988","250913","12031990","0","00","000000","3 4","٣","۱","১"]
bad = []
def post(path, params):
    data = urllib.parse.urlencode(params).encode()
    r = urllib.request.Request(BASE + path, data=data, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(r, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
def sms_walk(n):
    phone = "+3361%07d" % random.randint(0, 9999999)
    for step in range(n):
        body = random.choice(["1","1","1","2","3","Amina Diallo","12/03/1990","1","oui","5","31/01/2027"]) if random.random() < 0.75 else random.choice(WORDS)
        s, text = post("/twilio/sms", {"From": phone, "To": "+33757000000", "Body": body, "MessageSid": "SM%032x" % random.getrandbits(128),
                                        "AccountSid": "AC" + "1"*32, "FromCountry": "FR"})
        if s != 200 or not text.startswith("<?xml") or any(x and x in text for x in SORRY):
            bad.append(("sms", phone, step, body[:20], s, text[:200]))
def voice_walk(n):
    phone = random.choice(["+3347%07d", "+3361%07d", "+4477%08d"]) % random.randint(0, 9999999)
    sid = "CA%032x" % random.getrandbits(128)
    base = {"CallSid": sid, "From": phone, "To": "+33757000000", "AccountSid": "AC" + "1"*32, "CallStatus": "in-progress", "FromCountry": "FR"}
    s, xml = post("/twilio/voice", base)
    for step in range(n):
        m = re.search(r'action="([^"]+)"', xml)
        if s != 200 or any(x and x in xml for x in SORRY):
            bad.append(("voice", phone, step, s, xml[:200])); return
        if not m or "<Hangup" in xml: return
        url = urllib.parse.urlparse(m.group(1).replace("&amp;", "&"))
        digits = random.choice(["1","1","1","2","12031990","31012027"]) if random.random() < 0.7 else random.choice(["1","2","3","4","5","6","7","8","9","0","*","#","","12031990","01021988","11","250913","+33612345678".replace("+",""),"1#"])
        s, xml = post(url.path + "?" + url.query, dict(base, Digits=digits))
t = time.time()
for i in range(int(sys.argv[2]) if len(sys.argv) > 2 else 100):
    sms_walk(25); voice_walk(25)
for b in bad: print(b)
print("bad:", len(bad), "in %.0f s" % (time.time() - t))
