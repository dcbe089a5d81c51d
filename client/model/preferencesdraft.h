// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/userpreferences.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace herald::client {

// What the settings dialog edits of the user's delivery preferences: the last version the
// server had (base) and the user's edits of it (draft), the rows to show (the default, each
// application, each channel) and where an error the server named belongs. The dialog is a view
// over it. A plain value; no Qt widgets.
class PreferencesDraft
{
public:
    // One row: the default (no application), an application (no channel), or a channel.
    struct Row
    {
        QString application;
        QString channel;
        QString title; // the catalog's title; may be empty

        bool isDefault() const { return application.isEmpty(); }
        bool isApplication() const { return !application.isEmpty() && channel.isEmpty(); }
        friend bool operator==(const Row &, const Row &) = default;
    };

    // What a version from the server did to the draft.
    enum class Incoming
    {
        Unchanged, // the server has what the draft is based on
        Updated,   // no edits here: the draft is the server's version now
        Conflict,  // the user has edits: they stay, based on the new version
    };

    // Where an error the server named belongs.
    struct Placement
    {
        enum class Target
        {
            General,
            TimeZone,
            Email,
            Row,
        };
        Target target = Target::General;
        Row row; // with Row
        QString message;
    };

    // Starts over from the server's version: no edits, no conflict.
    void reset(const UserPreferences &base);
    // Another version arrived from the server (a GET, another device's change).
    Incoming takeIncoming(const UserPreferences &server);
    // Drops the edits: the draft is the server's latest version again.
    void discardEdits();

    const UserPreferences &base() const { return m_base; }
    const UserPreferences &draft() const { return m_draft; }
    bool isDirty() const { return m_draft != m_base; }
    // The server's version changed under the user's edits (cleared by reset or discardEdits).
    bool hasConflict() const { return m_conflict; }

    void setTimeZone(const QString &zone) { m_draft.timeZone = zone; }
    void setEmail(const QString &email) { m_draft.email = email; }

    // The channels to offer beside those the rules name: the catalog's (with titles), the
    // subscriptions' ("app/channel").
    void addChannel(const QString &application, const QString &channel, const QString &title = {},
                    const QString &applicationTitle = {});
    // The default, then each application (by name) followed by its channels (by name): those
    // added and those the base and the draft's rules name.
    QList<Row> rows() const;

    // The rule set on exactly this row (for the default row: the default rule); nothing when the
    // row follows its application or the default.
    std::optional<PreferenceRule> ownRule(const Row &row) const;
    // The rule that applies to the row's notifications (its own, or the one it follows).
    const PreferenceRule &effectiveRule(const Row &row) const;
    // The rule the row follows when it has none of its own.
    const PreferenceRule &inheritedRule(const Row &row) const;
    // Sets the row's own rule (application and channel are the row's); nothing makes the row
    // follow its application or the default again (not for the default row).
    void setOwnRule(const Row &row, const std::optional<PreferenceRule> &rule);

    // Where an error of a PUT of draft() belongs ("rules[2].digest: ..." is the row of the
    // draft's third rule).
    Placement place(const FieldError &error) const;

private:
    UserPreferences m_base;
    UserPreferences m_draft;
    bool m_conflict = false;
    QMap<QString, QMap<QString, QString>> m_channels; // application -> channel -> title
    QMap<QString, QString> m_applicationTitles;
};

} // namespace herald::client
