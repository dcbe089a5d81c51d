// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/userpreferences.h"
#include "net/preferencesrest.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace herald {
class SyncSession;
}

namespace herald::client {

class ClientSettings;

// The user's delivery preferences on this device (PROTOCOL.md "Delivery policy"). They live on
// the server; this keeps the last copy it read in the settings, so that the tray applies them
// and the settings dialog shows them while offline. It reads them (GET) after every
// `registered` of the current session, takes the `preferences` frame another device's change
// brings, and saves (PUT) what the settings dialog asks for, only while online: a PUT replaces
// the whole document, and one queued while offline would silently undo what another device
// saved meanwhile.
//
// Once per installation, after the first GET that succeeds, it moves Herald 0.2's per-device
// channel switches to the server (LegacyDelivery), then removes them from the settings and
// records that the migration ran. Until then (a server without preferences) the old switches
// keep applying here.
//
// Outlives sessions: setSession() follows the current one. Owns its PreferencesRest, not the
// settings or the session. GUI thread only.
class PreferencesController : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Offline,     // not confirmed by the server on this connection: the stored copy, if any
        Online,      // read from the server since the session registered; saving works
        Unsupported, // the server keeps no delivery preferences (404): nothing to save to
    };
    Q_ENUM(State)

    enum class Source
    {
        Stored,      // the copy in the settings (at start, or for another account)
        Server,      // GET
        OtherDevice, // a `preferences` frame: a change made anywhere, this device's saves too
        Saved,       // the answer to this device's PUT
    };
    Q_ENUM(Source)

    static constexpr int RetryMs = 10'000; // a failed GET while registered is tried again

    // rest becomes a child of the controller; settings must outlive it.
    PreferencesController(ClientSettings *settings, PreferencesRest *rest,
                          QObject *parent = nullptr);

    // Follows this session from now on (the previous one is forgotten), and reloads the stored
    // copy when the account changed. session may be null.
    void setSession(SyncSession *session);

    const UserPreferences &preferences() const { return m_preferences; }
    // Whether preferences() came from the server (now or stored), rather than the defaults.
    bool isKnown() const { return m_known; }
    State state() const { return m_state; }
    // When the server last confirmed preferences() (UTC); invalid when never.
    QDateTime confirmed() const { return m_confirmed; }
    bool isSaving() const { return m_saving; }

    // PUT: saveFinished() follows. False (nothing sent) while not Online or while a save is
    // under way.
    bool save(const UserPreferences &preferences);

Q_SIGNALS:
    void preferencesChanged(const herald::client::UserPreferences &preferences,
                            herald::client::PreferencesController::Source source);
    void stateChanged(herald::client::PreferencesController::State state);
    // After save(): ok, or why not (translated) with the field the server named, if any.
    void saveFinished(bool ok, const QString &message, const herald::client::FieldError &error);
    // The old per-device switches are on the server now (rules: how many rules that added;
    // a channel the server had a rule for already kept it).
    void legacyMigrated(int rules);

private:
    void loadStored();
    void onRegistered();
    void onSessionState();
    void onFetched(const UserPreferences &preferences, const QJsonObject &json);
    void onFrame(const QJsonObject &json);
    void onSaved(const UserPreferences &preferences, const QJsonObject &json);
    void onFailed(bool saving, PreferencesRest::Failure failure, int status,
                  const QString &message);
    void apply(const UserPreferences &preferences, const QJsonObject &json, Source source);
    void migrateLegacy();
    void setState(State state);

    ClientSettings *m_settings;
    PreferencesRest *m_rest;
    QPointer<SyncSession> m_session;
    UserPreferences m_preferences;
    bool m_known = false;
    QDateTime m_confirmed;
    State m_state = State::Offline;
    bool m_saving = false;
    bool m_migrating = false;
    int m_migratingRules = 0;       // the rules the migration's PUT adds
    bool m_frameSinceFetch = false; // then the GET's answer may be older: not applied
    QTimer m_retry;
};

} // namespace herald::client
