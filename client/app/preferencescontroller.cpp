// SPDX-License-Identifier: Apache-2.0
#include "preferencescontroller.h"

#include "app/applog.h"
#include "model/legacydelivery.h"
#include "session/syncsession.h"
#include "settings/clientsettings.h"

namespace herald::client {

PreferencesController::PreferencesController(ClientSettings *settings, PreferencesRest *rest,
                                             QObject *parent)
    : QObject(parent), m_settings(settings), m_rest(rest)
{
    m_rest->setParent(this);
    m_retry.setSingleShot(true);
    m_retry.setInterval(RetryMs);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (m_session && m_session->isRegistered() && m_state == State::Offline)
            m_rest->fetch();
    });
    connect(m_rest, &PreferencesRest::fetched, this, &PreferencesController::onFetched);
    connect(m_rest, &PreferencesRest::saved, this, &PreferencesController::onSaved);
    connect(m_rest, &PreferencesRest::failed, this, &PreferencesController::onFailed);
    loadStored();
}

void PreferencesController::setSession(SyncSession *session)
{
    if (m_session)
        m_session->disconnect(this);
    m_session = session;
    m_retry.stop();
    m_saving = m_migrating = false;
    m_rest->setEndpoint({}, {}, {}); // abandons what the previous session asked
    setState(State::Offline);
    loadStored(); // another server or user has other preferences
    if (!session)
        return;
    connect(session, &SyncSession::registered, this, &PreferencesController::onRegistered);
    connect(session, &SyncSession::stateChanged, this, &PreferencesController::onSessionState);
    connect(session, &SyncSession::preferencesChanged, this, &PreferencesController::onFrame);
    if (session->isRegistered())
        onRegistered();
}

bool PreferencesController::save(const UserPreferences &preferences)
{
    if (m_state != State::Online || m_saving) {
        qCInfo(lcApp) << "not saving the delivery preferences:" << m_state
                      << (m_saving ? "a save is under way" : "");
        return false;
    }
    qCInfo(lcApp) << "saving the delivery preferences," << preferences.rules.size() << "rules";
    m_saving = true;
    m_rest->save(preferences);
    return true;
}

void PreferencesController::loadStored()
{
    const auto copy = m_settings->preferencesCopy();
    const auto stored = copy ? UserPreferences::fromJson(copy->preferences) : std::nullopt;
    UserPreferences preferences;
    if (stored) {
        preferences = *stored;
        m_confirmed = copy->confirmed;
    } else {
        m_confirmed = {};
        if (!m_settings->isLegacyDeliveryMigrated()) {
            // Not on the server yet: the old switches keep working here meanwhile.
            preferences = LegacyDelivery::merged(
                preferences, LegacyDelivery::rules(m_settings->legacyDelivery()));
        }
    }
    m_known = stored.has_value();
    if (preferences == m_preferences)
        return;
    m_preferences = preferences;
    Q_EMIT preferencesChanged(m_preferences, Source::Stored);
}

void PreferencesController::onRegistered()
{
    const SyncSessionConfig &config = m_session->config();
    m_rest->setEndpoint(m_session->currentServer(), config.token, config.user);
    m_frameSinceFetch = false;
    m_rest->fetch();
}

void PreferencesController::onSessionState()
{
    if (m_session && m_session->isRegistered())
        return;
    m_retry.stop();
    if (m_state == State::Online)
        setState(State::Offline);
}

void PreferencesController::onFetched(const UserPreferences &preferences, const QJsonObject &json)
{
    m_retry.stop();
    // A frame that came meanwhile is newer than what the GET read.
    if (!m_frameSinceFetch)
        apply(preferences, json, Source::Server);
    setState(State::Online);
    migrateLegacy();
}

void PreferencesController::onFrame(const QJsonObject &json)
{
    const auto preferences = UserPreferences::fromJson(json);
    if (!preferences) {
        qCWarning(lcApp) << "ignoring a preferences frame that is not preferences";
        return;
    }
    m_frameSinceFetch = true;
    apply(*preferences, json, Source::OtherDevice);
}

void PreferencesController::onSaved(const UserPreferences &preferences, const QJsonObject &json)
{
    m_saving = false;
    apply(preferences, json, Source::Saved);
    if (std::exchange(m_migrating, false)) {
        const int rules = std::exchange(m_migratingRules, 0);
        m_settings->finishLegacyDeliveryMigration();
        m_settings->sync();
        qCInfo(lcApp) << "moved" << rules << "per-device channel settings to the server";
        Q_EMIT legacyMigrated(rules);
        return;
    }
    Q_EMIT saveFinished(true, {}, {});
}

void PreferencesController::onFailed(bool saving, PreferencesRest::Failure failure, int status,
                                     const QString &message)
{
    using F = PreferencesRest::Failure;
    if (!saving) {
        if (failure == F::Unsupported) {
            setState(State::Unsupported);
        } else if (m_session && m_session->isRegistered()) {
            m_retry.start();
        }
        return;
    }
    m_saving = false;
    if (std::exchange(m_migrating, false)) {
        // Kept for the next connection: the old switches stay until the server took them.
        qCWarning(lcApp) << "could not move the per-device channel settings to the server:"
                         << status << message;
        return;
    }
    switch (failure) {
    case F::Refused:
        Q_EMIT saveFinished(false, tr("The server refused these settings: %1").arg(message),
                            FieldError::fromMessage(message));
        return;
    case F::Unreachable:
        Q_EMIT saveFinished(false, tr("Not saved: no answer from the server (%1).").arg(message),
                            {});
        return;
    case F::Unsupported:
        setState(State::Unsupported);
        Q_EMIT saveFinished(false, tr("Not saved: this server keeps no delivery settings."), {});
        return;
    case F::Other:
        break;
    }
    Q_EMIT saveFinished(
        false, tr("Not saved: the server answered HTTP %1: %2").arg(status).arg(message), {});
}

void PreferencesController::apply(const UserPreferences &preferences, const QJsonObject &json,
                                  Source source)
{
    m_confirmed = QDateTime::currentDateTimeUtc();
    m_known = true;
    m_settings->setPreferencesCopy(json, m_confirmed);
    if (preferences == m_preferences && source != Source::OtherDevice && source != Source::Saved)
        return;
    qCInfo(lcApp) << "delivery preferences from" << source << ":" << preferences.rules.size()
                  << "rules";
    m_preferences = preferences;
    Q_EMIT preferencesChanged(m_preferences, source);
}

void PreferencesController::migrateLegacy()
{
    if (m_settings->isLegacyDeliveryMigrated() || m_saving)
        return;
    const UserPreferences merged =
        LegacyDelivery::merged(m_preferences, LegacyDelivery::rules(m_settings->legacyDelivery()));
    if (merged == m_preferences) {
        // Nothing to move (no old switches, or the server has a rule for each already).
        m_settings->finishLegacyDeliveryMigration();
        m_settings->sync();
        return;
    }
    m_migratingRules = int(merged.rules.size() - m_preferences.rules.size());
    qCInfo(lcApp) << "moving the per-device channel settings to the server:" << m_migratingRules
                  << "rules";
    m_saving = m_migrating = true;
    m_rest->save(merged);
}

void PreferencesController::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    qCInfo(lcApp) << "delivery preferences" << state;
    Q_EMIT stateChanged(state);
}

} // namespace herald::client
