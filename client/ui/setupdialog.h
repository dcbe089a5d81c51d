// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/catalogfetcher.h"
#include "net/serverprobe.h"

#include <QDialog>
#include <QStringList>
#include <QUrl>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QDialogButtonBox;

namespace herald::client {

// First run (and "Change server…", and a refused token): server URL, user, token, a "Test
// connection" button that says exactly what is wrong, and the channels to follow: after a
// successful test, the server's catalog as CatalogFetcher reads it with the token; when that
// fails, the channels seen in the user's notifications. Channels can always be typed in as
// app/channel, and the ones already subscribed stay in the list, checked.
class SetupDialog : public QDialog
{
    Q_OBJECT

public:
    struct Values
    {
        QUrl server;
        QString user;
        QString token;
        QStringList subscriptions;
    };

    // probe and catalog are not owned.
    SetupDialog(ServerProbe *probe, CatalogFetcher *catalog, QWidget *parent = nullptr);

    void setValues(const Values &values);
    Values values() const;
    // A line above the form, e.g. why the dialog opened again.
    void setMessage(const QString &message);
    // Focus the token field (when only the token needs to change).
    void focusToken();

private:
    void testConnection();
    void onProbeFinished(const ServerProbe::Report &report);
    void onCatalogFinished(const CatalogFetcher::Result &result);
    void setChannelStatus(const QString &text, bool error);
    void addChannel();
    void addChannels(const QStringList &channels, bool checked);
    // The item of "app/channel", created unchecked when missing.
    QListWidgetItem *channelItem(const QString &id);
    void updateOk();

    ServerProbe *m_probe;
    CatalogFetcher *m_catalog;
    QUrl m_testedServer;
    QString m_testedToken;
    QStringList m_seenChannels; // from the last successful probe
    QLabel *m_channelStatus;
    QLabel *m_message;
    QLineEdit *m_server;
    QLineEdit *m_user;
    QLineEdit *m_token;
    QPushButton *m_test;
    QLabel *m_result;
    QListWidget *m_channels;
    QLineEdit *m_newChannel;
    QPushButton *m_addChannel;
    QDialogButtonBox *m_buttons;
};

} // namespace herald::client
