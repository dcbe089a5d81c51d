// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "app/preferencescontroller.h"
#include "net/catalogfetcher.h"

#include <QDialog>
#include <QPointer>
#include <QStringList>

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace herald::client {

class DeliveryEditor;

// Settings: where the client connects (changed through the setup dialog); how notifications
// reach the user, which the server keeps for all the user's devices (DeliveryEditor over the
// PreferencesController's copy); and what belongs to this device (the summary threshold, start
// on login). Save writes the delivery preferences to the server first and closes only when the
// server took them (its field errors show in the dialog); offline the dialog shows the stored
// copy, says so, and refuses to save changes to it (a PUT replaces the whole document: a change
// queued offline would undo what another device saved meanwhile). A change made on another
// device updates the open dialog, unless the user has unsaved edits: then it says so.
// The caller stores this device's values after accept.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    struct Values
    {
        QString connection;   // "alice on http://host:8080", shown only
        QStringList channels; // the subscriptions ("app/channel"), offered as rows
        int summaryThreshold = 5;
        bool autostart = false;
    };

    // preferences must outlive the dialog (or the dialog must close when it goes).
    SettingsDialog(const Values &values, PreferencesController *preferences,
                   QWidget *parent = nullptr);
    Values values() const;
    DeliveryEditor *deliveryEditor() const { return m_editor; }

    // The server's catalog arrived: its channels become rows too.
    void setCatalog(const QList<CatalogChannel> &channels);

public Q_SLOTS:
    void accept() override;

Q_SIGNALS:
    void changeServerRequested();

private:
    void onPreferences(const UserPreferences &preferences, PreferencesController::Source source);
    void onSaveFinished(bool ok, const QString &message, const FieldError &error);
    void updateState();
    void refuse(const QString &message);

    Values m_values;
    QPointer<PreferencesController> m_preferences;
    DeliveryEditor *m_editor;
    QLabel *m_state;
    QLabel *m_saveError;
    QSpinBox *m_threshold;
    QCheckBox *m_autostart;
    QPushButton *m_save;
    bool m_saving = false;
    QString m_note; // one line after the state: "updated from another device"
};

} // namespace herald::client
