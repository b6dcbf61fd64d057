"""Strings of the kiosk page (tap the map, answer with pictograms)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav.capture": {"cs": "Kiosek – místa strachu", "en": "Kiosk – mapping"},
    # --- kiosk page ---
    "capture.title": {"cs": "Kde se necítíš bezpečně?", "en": "Where do you feel unsafe?"},
    "capture.kiosk": {"cs": "Režim kiosku (skryje postranní panel)",
                      "en": "Kiosk mode (hides the sidebar)"},
    "capture.no_session": {"cs": "Nejdřív založte setkání na stránce Mapovací setkání.",
                           "en": "Create a session on the Mapping sessions page first."},
    "capture.step.place": {"cs": "1. Ťukni do mapy, kde to je.",
                           "en": "1. Tap the map where it is."},
    "capture.step.what": {"cs": "2. Co tam je?", "en": "2. What is there?"},
    "capture.step.feeling": {"cs": "3. Jak se tam cítíš?", "en": "3. How do you feel there?"},
    "capture.step.seen": {"cs": "4. Viděl/a jsi to, nebo jsi o tom slyšel/a?",
                          "en": "4. Did you see it, or hear about it?"},
    "capture.step.when": {"cs": "5. Kdy?", "en": "5. When?"},
    "capture.step.action": {"cs": "6. Co děláš, abys byl/a v bezpečí?",
                            "en": "6. What do you do to stay safe?"},
    "capture.comment": {"cs": "Krátká poznámka (nepiš jména ani telefony)",
                        "en": "Short note (no names or phone numbers)"},
    "capture.placed": {"cs": "Místo vybráno ✔", "en": "Place chosen ✔"},
    "capture.save": {"cs": "💾 Uložit", "en": "💾 Save"},
    "capture.saved": {"cs": "Uloženo! Děkujeme.", "en": "Saved! Thank you."},
    "capture.undo": {"cs": "↩ Vrátit poslední bod", "en": "↩ Undo the last pin"},
    "capture.undone": {"cs": "Poslední bod byl odstraněn.", "en": "The last pin was removed."},
    "capture.undo_too_late": {"cs": "Bod už moderátor zpracoval, nelze ho vrátit.",
                              "en": "A moderator has already handled that pin; it stays."},
    "capture.missing": {"cs": "Vyber místo na mapě, co tam je a jak se tam cítíš.",
                        "en": "Choose the place on the map, what is there and how you feel."},
    "capture.count": {"cs": "Z tohoto zařízení: {mine} bodů · celé setkání: {all} bodů",
                      "en": "From this device: {mine} pins · whole session: {all} pins"},
    "capture.error": {"cs": "Bod nelze uložit: {problem}", "en": "Cannot save the pin: {problem}"},
    "capture.layer.mine": {"cs": "Moje body", "en": "My pins"},
}
