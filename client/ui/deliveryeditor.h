// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/preferencesdraft.h"
#include "net/catalogfetcher.h"

#include <QMap>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimeEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace herald::client {

// Edits the user's delivery preferences: time zone and email address, and per row (everything
// else, each application, each channel) immediate, digest (hourly, daily at a time, weekly on a
// day at a time) or off, to the desktop and by email; a row may also follow its application or
// the default. A view over a PreferencesDraft: it saves nothing itself. Shows the errors the
// server named next to their field or row, and when another device changed the preferences
// under the user's edits, says so and offers to discard them.
//
// Widgets tests reach by object name: timeZone, email, rules (the tree), delivery, period,
// weekday, time, desktop, emailAgent, timeZoneError, emailError, ruleError, errors, conflict,
// discard.
class DeliveryEditor : public QWidget
{
    Q_OBJECT

public:
    explicit DeliveryEditor(QWidget *parent = nullptr);

    // Rows to offer beside those the rules name.
    void addChannels(const QList<CatalogChannel> &channels);
    void addChannels(const QStringList &channelKeys); // "app/channel"
    // The server's version, no edits.
    void reset(const UserPreferences &preferences);
    // Another version from the server; the edits stay (and the conflict shows) if there are any.
    PreferencesDraft::Incoming takeIncoming(const UserPreferences &preferences);
    const PreferencesDraft &draft() const { return m_draft; }

    void setEditable(bool editable);
    void showError(const FieldError &error);
    void clearErrors();

    // Selects a row (for tests and errors); false when there is none such.
    bool selectRow(const QString &application, const QString &channel);

Q_SIGNALS:
    // The user changed something (isDirty() may have changed).
    void edited();

private:
    void loadAll();      // every widget from the draft
    void rebuildTree();  // keeps the selected row
    void refreshTexts(); // the second column of every row
    void loadRow();      // the rule panel from the selected row
    void onDeliveryChosen();
    void onScheduleEdited();
    void onAgentsEdited();
    void editOwnRule(const std::function<void(PreferenceRule &)> &change);
    void showConflict();
    PreferencesDraft::Row currentRow() const;
    QTreeWidgetItem *itemFor(const QString &application, const QString &channel) const;
    QString rowName(const PreferencesDraft::Row &row) const; // as the tree shows it
    QString titled(const PreferencesDraft::Row &row) const;  // "Title (name)", or the name
    QString describe(const PreferenceRule &rule) const;

    PreferencesDraft m_draft;
    QMap<QString, QString> m_rowErrors; // "app/channel" ("" for the default) -> message
    bool m_loading = false;             // widgets are being filled: no edits
    bool m_editable = true;

    QComboBox *m_timeZone;
    QLabel *m_timeZoneError;
    QLineEdit *m_email;
    QLabel *m_emailError;
    QTreeWidget *m_tree;
    QGroupBox *m_rule;
    QComboBox *m_delivery;
    QWidget *m_schedule;
    QComboBox *m_period;
    QComboBox *m_weekday;
    QTimeEdit *m_time;
    QCheckBox *m_desktop;
    QCheckBox *m_emailAgent;
    QLabel *m_ruleError;
    QLabel *m_errors;
    QWidget *m_conflict;
    QPushButton *m_discard;
};

} // namespace herald::client
