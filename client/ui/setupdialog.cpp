// SPDX-License-Identifier: Apache-2.0
#include "setupdialog.h"

#include "settings/clientsettings.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSet>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
// The channel's "app/channel" id; the item's text adds the title.
constexpr int ChannelIdRole = Qt::UserRole;
} // namespace

SetupDialog::SetupDialog(ServerProbe *probe, CatalogFetcher *catalog, QWidget *parent)
    : QDialog(parent), m_probe(probe), m_catalog(catalog), m_channelStatus(new QLabel(this)),
      m_message(new QLabel(this)), m_server(new QLineEdit(this)), m_user(new QLineEdit(this)),
      m_token(new QLineEdit(this)), m_test(new QPushButton(tr("Test connection"), this)),
      m_result(new QLabel(this)), m_channels(new QListWidget(this)),
      m_newChannel(new QLineEdit(this)), m_addChannel(new QPushButton(tr("Add"), this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Set up Herald"));
    setWindowIcon(QIcon(u":/icons/herald.svg"_s));
    m_message->setWordWrap(true);
    m_message->setVisible(false);
    m_server->setPlaceholderText(u"http://127.0.0.1:8080"_s);
    m_user->setPlaceholderText(tr("your user name on the server"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("a user token from your administrator"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_channelStatus->setWordWrap(true);
    m_channelStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_channelStatus->setVisible(false);
    m_newChannel->setPlaceholderText(tr("application/channel"));
    m_newChannel->setValidator(new QRegularExpressionValidator(
        QRegularExpression(u"[A-Za-z0-9._-]{1,64}/[A-Za-z0-9._-]{1,64}"_s), m_newChannel));

    auto *form = new QFormLayout;
    form->addRow(tr("Server:"), m_server);
    form->addRow(tr("User:"), m_user);
    form->addRow(tr("Token:"), m_token);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_result, 1);
    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_newChannel, 1);
    addRow->addWidget(m_addChannel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addLayout(form);
    layout->addLayout(testRow);
    layout->addWidget(new QLabel(tr("Channels to follow:"), this));
    layout->addWidget(m_channelStatus);
    layout->addWidget(m_channels, 1);
    layout->addLayout(addRow);
    layout->addWidget(m_buttons);
    resize(520, 460);

    connect(m_test, &QPushButton::clicked, this, &SetupDialog::testConnection);
    connect(m_probe, &ServerProbe::finished, this, &SetupDialog::onProbeFinished);
    connect(m_catalog, &CatalogFetcher::finished, this, &SetupDialog::onCatalogFinished);
    connect(m_addChannel, &QPushButton::clicked, this, &SetupDialog::addChannel);
    connect(m_newChannel, &QLineEdit::returnPressed, this, &SetupDialog::addChannel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : {m_server, m_user, m_token})
        connect(edit, &QLineEdit::textChanged, this, &SetupDialog::updateOk);
    connect(m_channels, &QListWidget::itemChanged, this, &SetupDialog::updateOk);
    updateOk();
}

void SetupDialog::setValues(const Values &values)
{
    m_server->setText(values.server.toString());
    m_user->setText(values.user);
    m_token->setText(values.token);
    addChannels(values.subscriptions, true);
    updateOk();
}

SetupDialog::Values SetupDialog::values() const
{
    Values v;
    v.server = ClientSettings::normalizedServerUrl(m_server->text());
    v.user = m_user->text().trimmed();
    v.token = m_token->text().trimmed();
    for (int i = 0; i < m_channels->count(); ++i) {
        if (m_channels->item(i)->checkState() == Qt::Checked)
            v.subscriptions << m_channels->item(i)->data(ChannelIdRole).toString();
    }
    return v;
}

void SetupDialog::setMessage(const QString &message)
{
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void SetupDialog::focusToken()
{
    m_token->setFocus();
    m_token->selectAll();
}

void SetupDialog::testConnection()
{
    const Values v = values();
    m_catalog->cancel();
    setChannelStatus({}, false);
    m_result->setText(tr("Testing…"));
    m_result->setStyleSheet(QString());
    m_test->setEnabled(false);
    m_testedServer = v.server;
    m_testedToken = v.token;
    m_probe->probe(v.server, v.user, v.token);
}

void SetupDialog::onProbeFinished(const ServerProbe::Report &report)
{
    const bool ok = report.outcome == ServerProbe::Outcome::Ok;
    m_result->setText(report.message);
    m_result->setStyleSheet(ok ? QString() : u"color: #b3261e;"_s);
    if (!ok) {
        updateOk();
        return;
    }
    m_seenChannels = report.channels;
    setChannelStatus(tr("Loading channels…"), false);
    m_catalog->fetch(m_testedServer, m_testedToken);
    updateOk();
}

void SetupDialog::onCatalogFinished(const CatalogFetcher::Result &result)
{
    const bool wasEmpty = m_channels->count() == 0;
    if (result.outcome != CatalogFetcher::Outcome::Ok) {
        // The catalog is out of reach: offer what the notifications showed, as before.
        setChannelStatus(tr("Could not load the server's channels. %1 Showing the channels seen "
                            "in your notifications; add others as application/channel.")
                             .arg(result.message),
                         true);
        addChannels(m_seenChannels, wasEmpty && m_seenChannels.size() == 1);
        updateOk();
        return;
    }
    QSet<QString> listed;
    for (const CatalogChannel &c : result.channels)
        listed.insert(c.id());
    // Unchecked channels that the server does not list (any more) are of no use; checked ones
    // (subscribed or typed in) stay.
    m_channels->blockSignals(true);
    for (int i = m_channels->count() - 1; i >= 0; --i) {
        QListWidgetItem *item = m_channels->item(i);
        if (item->checkState() != Qt::Checked &&
            !listed.contains(item->data(ChannelIdRole).toString()))
            delete m_channels->takeItem(i);
    }
    for (const CatalogChannel &c : result.channels) {
        QListWidgetItem *item = channelItem(c.id());
        if (!c.title.isEmpty())
            item->setText(c.id() + u" — "_s + c.title);
        item->setToolTip(c.description);
    }
    if (wasEmpty && result.channels.size() == 1)
        m_channels->item(0)->setCheckState(Qt::Checked);
    m_channels->sortItems();
    m_channels->blockSignals(false);
    setChannelStatus(result.channels.isEmpty()
                         ? tr("The server lists no channels yet; add them as application/channel.")
                         : QString(),
                     false);
    updateOk();
}

void SetupDialog::setChannelStatus(const QString &text, bool error)
{
    m_channelStatus->setText(text);
    m_channelStatus->setStyleSheet(error ? u"color: #b3261e;"_s : QString());
    m_channelStatus->setVisible(!text.isEmpty());
}

void SetupDialog::addChannel()
{
    const QString text = m_newChannel->text().trimmed();
    if (!m_newChannel->hasAcceptableInput())
        return;
    addChannels({text}, true);
    m_newChannel->clear();
}

void SetupDialog::addChannels(const QStringList &channels, bool checked)
{
    for (const QString &channel : channels) {
        QListWidgetItem *item = channelItem(channel);
        if (checked)
            item->setCheckState(Qt::Checked);
    }
    m_channels->sortItems();
    updateOk();
}

QListWidgetItem *SetupDialog::channelItem(const QString &id)
{
    for (int i = 0; i < m_channels->count(); ++i) {
        if (m_channels->item(i)->data(ChannelIdRole).toString() == id)
            return m_channels->item(i);
    }
    auto *item = new QListWidgetItem(id, m_channels);
    item->setData(ChannelIdRole, id);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    item->setCheckState(Qt::Unchecked);
    return item;
}

void SetupDialog::updateOk()
{
    const Values v = values();
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(v.server.isValid() && !v.user.isEmpty() && !v.token.isEmpty() &&
                     !v.subscriptions.isEmpty());
    m_test->setEnabled(v.server.isValid() && !m_probe->isRunning() && !m_catalog->isRunning());
}

} // namespace herald::client
