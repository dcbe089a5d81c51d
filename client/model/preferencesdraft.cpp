// SPDX-License-Identifier: Apache-2.0
#include "preferencesdraft.h"

using namespace Qt::StringLiterals;

namespace herald::client {

void PreferencesDraft::reset(const UserPreferences &base)
{
    m_base = base;
    m_draft = base;
    m_conflict = false;
}

PreferencesDraft::Incoming PreferencesDraft::takeIncoming(const UserPreferences &server)
{
    if (server == m_base)
        return Incoming::Unchanged;
    if (!isDirty() || server == m_draft) {
        // Nothing of the user's to keep, or the server has just what the user has (saved here
        // or on another device).
        m_base = server;
        m_draft = server;
        m_conflict = false;
        return Incoming::Updated;
    }
    m_base = server;
    m_conflict = true;
    return Incoming::Conflict;
}

void PreferencesDraft::discardEdits()
{
    m_draft = m_base;
    m_conflict = false;
}

void PreferencesDraft::addChannel(const QString &application, const QString &channel,
                                  const QString &title, const QString &applicationTitle)
{
    if (application.isEmpty() || channel.isEmpty())
        return;
    QString &known = m_channels[application][channel];
    if (!title.isEmpty())
        known = title;
    if (!applicationTitle.isEmpty())
        m_applicationTitles.insert(application, applicationTitle);
}

QList<PreferencesDraft::Row> PreferencesDraft::rows() const
{
    QMap<QString, QMap<QString, QString>> channels = m_channels;
    for (const UserPreferences *p : {&m_base, &m_draft}) {
        for (const PreferenceRule &rule : p->rules) {
            QMap<QString, QString> &ofApp = channels[rule.application];
            if (!rule.channel.isEmpty() && !ofApp.contains(rule.channel))
                ofApp.insert(rule.channel, QString());
        }
    }
    QList<Row> rows{Row{}};
    for (auto app = channels.cbegin(); app != channels.cend(); ++app) {
        rows.append(Row{app.key(), {}, m_applicationTitles.value(app.key())});
        for (auto channel = app->cbegin(); channel != app->cend(); ++channel)
            rows.append(Row{app.key(), channel.key(), channel.value()});
    }
    return rows;
}

std::optional<PreferenceRule> PreferencesDraft::ownRule(const Row &row) const
{
    if (row.isDefault())
        return m_draft.defaultRule;
    const int i = m_draft.indexOf(row.application, row.channel);
    if (i < 0)
        return std::nullopt;
    return m_draft.rules.at(i);
}

const PreferenceRule &PreferencesDraft::effectiveRule(const Row &row) const
{
    if (row.isDefault())
        return m_draft.defaultRule;
    const int i = m_draft.indexOf(row.application, row.channel);
    return i >= 0 ? m_draft.rules.at(i) : inheritedRule(row);
}

const PreferenceRule &PreferencesDraft::inheritedRule(const Row &row) const
{
    if (row.isDefault() || row.isApplication())
        return m_draft.defaultRule;
    const int app = m_draft.indexOf(row.application, {});
    return app >= 0 ? m_draft.rules.at(app) : m_draft.defaultRule;
}

void PreferencesDraft::setOwnRule(const Row &row, const std::optional<PreferenceRule> &rule)
{
    if (row.isDefault()) {
        if (rule) {
            m_draft.defaultRule = *rule;
            m_draft.defaultRule.application.clear();
            m_draft.defaultRule.channel.clear();
            m_draft.defaultRule.code.clear();
        }
        return;
    }
    if (!rule) {
        m_draft.removeRule(row.application, row.channel);
        return;
    }
    PreferenceRule own = *rule;
    own.application = row.application;
    own.channel = row.channel;
    own.code.clear();
    m_draft.setRule(own);
}

PreferencesDraft::Placement PreferencesDraft::place(const FieldError &error) const
{
    using T = Placement::Target;
    Placement placement;
    placement.message = error.message;
    if (error.path == u"timezone"_s) {
        placement.target = T::TimeZone;
    } else if (error.path == u"email"_s) {
        placement.target = T::Email;
    } else if (error.path.startsWith(u"default."_s)) {
        placement.target = T::Row;
    } else if (const int i = error.ruleIndex(); i >= 0 && i < m_draft.rules.size()) {
        const PreferenceRule &rule = m_draft.rules.at(i);
        if (rule.code.isEmpty()) { // a code's rule has no row of its own
            placement.target = T::Row;
            placement.row = Row{rule.application, rule.channel, {}};
        }
    }
    if (placement.target == T::General && !error.path.isEmpty())
        placement.message = error.path + u": "_s + error.message;
    return placement;
}

} // namespace herald::client
