#pragma once

#include "net/serverprobe.h"

#include <QDialog>
#include <QStringList>
#include <QUrl>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QDialogButtonBox;

namespace herald::client {

// First run (and "Change server…", and a refused token): server URL, user, token, a "Test
// connection" button that says exactly what is wrong, and the channels to follow, fetched from
// the server (user tokens may not list the catalog: then the channels seen in the user's
// notifications, and any typed in as app/channel).
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

    // probe is not owned.
    SetupDialog(ServerProbe *probe, QWidget *parent = nullptr);

    void setValues(const Values &values);
    Values values() const;
    // A line above the form, e.g. why the dialog opened again.
    void setMessage(const QString &message);
    // Focus the token field (when only the token needs to change).
    void focusToken();

private:
    void testConnection();
    void onProbeFinished(const ServerProbe::Report &report);
    void addChannel();
    void addChannels(const QStringList &channels, bool checked);
    void updateOk();

    ServerProbe *m_probe;
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
