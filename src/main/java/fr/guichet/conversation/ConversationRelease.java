package fr.guichet.conversation;

import fr.guichet.booking.AppointmentCancelled;
import fr.guichet.booking.Reference;
import fr.guichet.phone.PhoneNumber;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * An appointment cancelled elsewhere (on the outside backend's web site, by a worker, by staff) must not leave the
 * person's conversation on it: if the conversation is about that appointment, it is ended, so the next message
 * opens the main menu instead of offering to cancel or move what no longer exists. Runs inside the cancellation's
 * transaction, under the number's conversation lock. (A cancellation made in the conversation itself is saved over
 * by its own turn, which ends there anyway.)
 */
@Component
class ConversationRelease {
    private final ConversationStore store;

    ConversationRelease(ConversationStore store) {
        this.store = store;
    }

    @EventListener
    void on(AppointmentCancelled cancelled) {
        PhoneNumber phone = cancelled.appointment().applicant().phone();
        if (phone == null) return;
        store.lock(phone).filter(state -> isAbout(state, cancelled.appointment().reference())).ifPresent(state ->
                store.save(phone, new ConversationState(state.language(), ConversationState.Mode.ENDED, Flows.MAIN,
                        ConversationEngine.MAIN_MENU, Map.of(), 0, List.of(), state.updatedAt())));
    }

    private static boolean isAbout(ConversationState state, Reference reference) {
        if (state.mode() != ConversationState.Mode.IN_FLOW && state.mode() != ConversationState.Mode.RESUME_OFFER) return false;
        String held = state.vars().get("reference");
        return held != null && Reference.parse(held).filter(reference::equals).isPresent();
    }
}
