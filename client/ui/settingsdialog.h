// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/deliverypreferences.h"

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QLabel;
class QSpinBox;
class QTableWidget;

namespace herald::client {

// Settings: where the client connects (changed through the setup dialog), per-channel delivery
// (popup, list only, off), the summary threshold, and start on login. Edits values handed in;
// the caller stores them after accept.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    struct Values
    {
        QString connection; // "alice on http://host:8080", shown only
        QStringList channels;
        DeliveryPreferences preferences;
        int summaryThreshold = 5;
        bool autostart = false;
    };

    explicit SettingsDialog(const Values &values, QWidget *parent = nullptr);
    Values values() const;

Q_SIGNALS:
    void changeServerRequested();

private:
    Values m_values;
    QTableWidget *m_table;
    QSpinBox *m_threshold;
    QCheckBox *m_autostart;
};

} // namespace herald::client
