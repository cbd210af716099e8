"""A Kaa endpoint that behaves like the device of Kaa's ESP32 OTA tutorial, in Python with
paho-mqtt (run with .venv/bin/python): on connecting it subscribes to
kp1/<app>/cmx_ota/<token>/config/json/#, reports its firmware version as applied, and asks
for its configuration with observe on. Like the tutorial's handleOtaUpdate(), it skips
every message whose JSON has no "statusCode" of 200, and otherwise downloads config.link.
Here the "flash" is checked against config.sha256 and the new version reported as applied.

Prints one JSON line at the end: {"installed": <version>, "skipped": [<payloads skipped>]}.
Exit 0 when it installed an update, 1 on timeout.
"""
import argparse
import hashlib
import json
import random
import ssl
import sys
import threading
import urllib.parse
import urllib.request

import paho.mqtt.client as mqtt


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--broker", required=True, help="mqtt://host:port or mqtts://host:port")
    parser.add_argument("--app", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--version", required=True, help="the firmware version it runs")
    parser.add_argument("--cafile", help="CA to verify an mqtts:// broker")
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()

    url = urllib.parse.urlparse(args.broker)
    base = f"kp1/{args.app}/cmx_ota/{args.token}"
    state = {"installed": None, "skipped": []}
    done = threading.Event()

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"tutorial-{args.token}")
    if url.scheme == "mqtts":
        client.tls_set(ca_certs=args.cafile, cert_reqs=ssl.CERT_REQUIRED)

    def on_connect(client, userdata, flags, reason_code, properties):
        client.subscribe(f"{base}/config/json/#")
        client.publish(f"{base}/applied/json", json.dumps({"configId": args.version}))
        client.publish(f"{base}/config/json/{random.randint(0, 99)}", json.dumps({"observe": True}))

    def on_message(client, userdata, message):
        text = message.payload.decode("utf-8", "replace")
        try:
            document = json.loads(text)
        except ValueError:
            document = None
        # The tutorial: no JSON, or a statusCode other than 200, is not an update.
        if not isinstance(document, dict) or document.get("statusCode") != 200:
            state["skipped"].append(text)
            return
        config = document.get("config") or {}
        with urllib.request.urlopen(config["link"], timeout=10) as response:
            image = response.read()
        if hashlib.sha256(image).hexdigest() != config.get("sha256"):
            client.publish(f"{base}/applied/json", json.dumps(
                {"configId": document["configId"], "statusCode": 400, "reasonPhrase": "sha256 mismatch"}))
            return
        info = client.publish(f"{base}/applied/json", json.dumps({"configId": document["configId"]}), qos=1)
        info.wait_for_publish(5)
        state["installed"] = document["configId"]
        done.set()

    client.on_connect = on_connect
    client.on_message = on_message
    client.connect(url.hostname, url.port or (8883 if url.scheme == "mqtts" else 1883))
    client.loop_start()
    installed = done.wait(args.timeout)
    client.loop_stop()
    client.disconnect()
    print(json.dumps(state))
    return 0 if installed else 1


if __name__ == "__main__":
    sys.exit(main())
