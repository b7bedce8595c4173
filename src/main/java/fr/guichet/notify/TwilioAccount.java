package fr.guichet.notify;

import java.net.URI;

/**
 * The Twilio account this service uses ({@code TWILIO_ACCOUNT_SID}, {@code TWILIO_AUTH_TOKEN}, {@code TWILIO_PHONE_NUMBER},
 * {@code TWILIO_API_BASE_URL}). Blank SID or token means no-credentials mode: nothing is sent to Twilio.
 * The auth token also signs webhooks; the channels check signatures with it.
 */
public record TwilioAccount(String accountSid, String authToken, String phoneNumber, URI apiBaseUrl) {
    public TwilioAccount {
        accountSid = accountSid == null ? "" : accountSid.strip();
        authToken = authToken == null ? "" : authToken.strip();
        phoneNumber = phoneNumber == null ? "" : phoneNumber.strip();
    }

    public boolean canSend() {
        return !accountSid.isEmpty() && !authToken.isEmpty();
    }

    public boolean signsWebhooks() {
        return !authToken.isEmpty();
    }

    @Override
    public String toString() {
        // Never print the token: records print every component by default.
        return "TwilioAccount[sid=" + (accountSid.isEmpty() ? "none" : accountSid.substring(0, Math.min(6, accountSid.length())) + "…")
                + ", token=" + (authToken.isEmpty() ? "none" : "set") + ", apiBaseUrl=" + apiBaseUrl + "]";
    }
}
