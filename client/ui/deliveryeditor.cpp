// SPDX-License-Identifier: Apache-2.0
#include "deliveryeditor.h"

#include "model/notification.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTimeEdit>
#include <QTimeZone>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
constexpr int ApplicationRole = Qt::UserRole;
constexpr int ChannelRole = Qt::UserRole + 1;
const QString Inherit = u"inherit"_s;
const QString DefaultSchedule = u"daily@08:00"_s;

QString rowKey(const QString &application, const QString &channel)
{
    return application.isEmpty() ? QString() : channelKey(application, channel);
}

QLabel *errorLabel(QWidget *parent, const QString &name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setStyleSheet(u"color: #c0392b;"_s);
    label->hide();
    return label;
}

void showText(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}
} // namespace

DeliveryEditor::DeliveryEditor(QWidget *parent)
    : QWidget(parent), m_timeZone(new QComboBox(this)),
      m_timeZoneError(errorLabel(this, u"timeZoneError"_s)), m_email(new QLineEdit(this)),
      m_emailError(errorLabel(this, u"emailError"_s)), m_tree(new QTreeWidget(this)),
      m_rule(new QGroupBox(this)), m_delivery(new QComboBox(m_rule)),
      m_schedule(new QWidget(m_rule)), m_period(new QComboBox(m_schedule)),
      m_weekday(new QComboBox(m_schedule)), m_time(new QTimeEdit(m_schedule)),
      m_desktop(new QCheckBox(tr("Desktop popups"), m_rule)),
      m_emailAgent(new QCheckBox(tr("Email"), m_rule)),
      m_ruleError(errorLabel(m_rule, u"ruleError"_s)), m_errors(errorLabel(this, u"errors"_s)),
      m_conflict(new QWidget(this)), m_discard(new QPushButton(tr("Discard my changes"), this))
{
    m_timeZone->setObjectName(u"timeZone"_s);
    m_email->setObjectName(u"email"_s);
    m_tree->setObjectName(u"rules"_s);
    m_delivery->setObjectName(u"delivery"_s);
    m_period->setObjectName(u"period"_s);
    m_weekday->setObjectName(u"weekday"_s);
    m_time->setObjectName(u"time"_s);
    m_desktop->setObjectName(u"desktop"_s);
    m_emailAgent->setObjectName(u"emailAgent"_s);
    m_conflict->setObjectName(u"conflict"_s);
    m_discard->setObjectName(u"discard"_s);

    m_timeZone->setEditable(true);
    m_timeZone->setInsertPolicy(QComboBox::NoInsert);
    QStringList zones;
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
        zones << QString::fromLatin1(id);
    zones.sort();
    m_timeZone->addItems(zones);
    m_email->setPlaceholderText(tr("For mail and email digests"));

    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Notifications of"), tr("Reach you")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setRootIsDecorated(true);

    m_period->addItem(tr("Hourly"), int(DigestSchedule::Period::Hourly));
    m_period->addItem(tr("Daily"), int(DigestSchedule::Period::Daily));
    m_period->addItem(tr("Weekly"), int(DigestSchedule::Period::Weekly));
    for (int day = Qt::Monday; day <= Qt::Sunday; ++day)
        m_weekday->addItem(QLocale().dayName(day), day);
    m_time->setDisplayFormat(u"HH:mm"_s);
    auto *schedule = new QHBoxLayout(m_schedule);
    schedule->setContentsMargins(0, 0, 0, 0);
    schedule->addWidget(m_period);
    schedule->addWidget(m_weekday);
    schedule->addWidget(m_time);
    schedule->addStretch(1);
    auto *agents = new QHBoxLayout;
    agents->addWidget(m_desktop);
    agents->addWidget(m_emailAgent);
    agents->addStretch(1);
    auto *ruleForm = new QFormLayout(m_rule);
    ruleForm->addRow(tr("Delivery:"), m_delivery);
    ruleForm->addRow(tr("Digest:"), m_schedule);
    ruleForm->addRow(tr("To:"), agents);
    ruleForm->addRow(m_ruleError);

    auto *conflict = new QHBoxLayout(m_conflict);
    conflict->setContentsMargins(0, 0, 0, 0);
    auto *conflictText =
        new QLabel(tr("These settings were changed on another device while you were editing "
                      "them here. Saving replaces that change with what you see."),
                   m_conflict);
    conflictText->setWordWrap(true);
    conflict->addWidget(conflictText, 1);
    conflict->addWidget(m_discard);
    m_conflict->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("Time zone:"), m_timeZone);
    form->addRow(QString(), m_timeZoneError);
    form->addRow(tr("Email address:"), m_email);
    form->addRow(QString(), m_emailError);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_conflict);
    layout->addLayout(form);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_rule);
    layout->addWidget(m_errors);
    setTabOrder(m_tree, m_delivery);

    connect(m_timeZone, &QComboBox::currentTextChanged, this, [this](const QString &zone) {
        if (m_loading)
            return;
        m_draft.setTimeZone(zone.trimmed());
        Q_EMIT edited();
    });
    connect(m_email, &QLineEdit::textEdited, this, [this](const QString &email) {
        m_draft.setEmail(email.trimmed());
        Q_EMIT edited();
    });
    connect(m_tree, &QTreeWidget::currentItemChanged, this, &DeliveryEditor::loadRow);
    connect(m_delivery, &QComboBox::currentIndexChanged, this, &DeliveryEditor::onDeliveryChosen);
    connect(m_period, &QComboBox::currentIndexChanged, this, &DeliveryEditor::onScheduleEdited);
    connect(m_weekday, &QComboBox::currentIndexChanged, this, &DeliveryEditor::onScheduleEdited);
    connect(m_time, &QTimeEdit::timeChanged, this, &DeliveryEditor::onScheduleEdited);
    connect(m_desktop, &QCheckBox::toggled, this, &DeliveryEditor::onAgentsEdited);
    connect(m_emailAgent, &QCheckBox::toggled, this, &DeliveryEditor::onAgentsEdited);
    connect(m_discard, &QPushButton::clicked, this, [this] {
        m_draft.discardEdits();
        loadAll();
        Q_EMIT edited();
    });
    loadAll();
}

void DeliveryEditor::addChannels(const QList<CatalogChannel> &channels)
{
    for (const CatalogChannel &c : channels)
        m_draft.addChannel(c.application, c.name, c.title, c.applicationTitle);
    rebuildTree();
}

void DeliveryEditor::addChannels(const QStringList &channelKeys)
{
    for (const QString &key : channelKeys)
        m_draft.addChannel(key.section(u'/', 0, 0), key.section(u'/', 1));
    rebuildTree();
}

void DeliveryEditor::reset(const UserPreferences &preferences)
{
    m_draft.reset(preferences);
    loadAll();
}

PreferencesDraft::Incoming DeliveryEditor::takeIncoming(const UserPreferences &preferences)
{
    const auto incoming = m_draft.takeIncoming(preferences);
    if (incoming == PreferencesDraft::Incoming::Updated)
        loadAll();
    else if (incoming == PreferencesDraft::Incoming::Conflict)
        rebuildTree(); // the edits stay; rows the new version names appear
    showConflict();
    return incoming;
}

void DeliveryEditor::setEditable(bool editable)
{
    if (editable == m_editable)
        return;
    m_editable = editable;
    m_timeZone->setEnabled(editable);
    m_email->setEnabled(editable);
    m_discard->setEnabled(editable);
    loadRow();
}

void DeliveryEditor::showError(const FieldError &error)
{
    using T = PreferencesDraft::Placement::Target;
    const auto placement = m_draft.place(error);
    QString general = placement.message;
    switch (placement.target) {
    case T::TimeZone:
        showText(m_timeZoneError, placement.message);
        break;
    case T::Email:
        showText(m_emailError, placement.message);
        break;
    case T::Row:
        m_rowErrors.insert(rowKey(placement.row.application, placement.row.channel),
                           placement.message);
        general = tr("%1: %2").arg(rowName(placement.row), placement.message);
        refreshTexts();
        selectRow(placement.row.application, placement.row.channel);
        loadRow();
        break;
    case T::General:
        break;
    }
    showText(m_errors, general);
}

void DeliveryEditor::clearErrors()
{
    m_rowErrors.clear();
    for (QLabel *label : {m_timeZoneError, m_emailError, m_ruleError, m_errors})
        showText(label, {});
    refreshTexts();
}

bool DeliveryEditor::selectRow(const QString &application, const QString &channel)
{
    QTreeWidgetItem *item = itemFor(application, channel);
    if (item)
        m_tree->setCurrentItem(item);
    return item != nullptr;
}

void DeliveryEditor::loadAll()
{
    m_loading = true;
    m_timeZone->setCurrentText(m_draft.draft().timeZone);
    m_email->setText(m_draft.draft().email);
    m_loading = false;
    rebuildTree();
    showConflict();
}

void DeliveryEditor::rebuildTree()
{
    const PreferencesDraft::Row current = currentRow();
    m_loading = true;
    m_tree->clear();
    QTreeWidgetItem *application = nullptr;
    for (const PreferencesDraft::Row &row : m_draft.rows()) {
        QTreeWidgetItem *item =
            row.channel.isEmpty() ? new QTreeWidgetItem(m_tree) : new QTreeWidgetItem(application);
        if (row.isApplication())
            application = item;
        item->setText(0, titled(row));
        item->setData(0, ApplicationRole, row.application);
        item->setData(0, ChannelRole, row.channel);
    }
    m_tree->expandAll();
    m_loading = false;
    refreshTexts();
    if (!selectRow(current.application, current.channel))
        m_tree->setCurrentItem(m_tree->topLevelItem(0));
    loadRow();
}

void DeliveryEditor::refreshTexts()
{
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        QTreeWidgetItem *item = *it;
        const PreferencesDraft::Row row{
            item->data(0, ApplicationRole).toString(), item->data(0, ChannelRole).toString(), {}};
        const bool own = m_draft.ownRule(row).has_value();
        QString text = describe(m_draft.effectiveRule(row));
        if (!own) {
            const QString parent =
                row.isApplication() ? tr("everything else") : item->parent()->text(0);
            text = tr("%1 (as %2)").arg(text, parent);
        }
        item->setText(1, text);
        QFont font = item->font(1);
        font.setItalic(!own);
        item->setFont(1, font);
        const QString error = m_rowErrors.value(rowKey(row.application, row.channel));
        item->setToolTip(0, error);
        item->setForeground(0, error.isEmpty() ? m_tree->palette().text()
                                               : QBrush(QColor(0xc0, 0x39, 0x2b)));
    }
}

void DeliveryEditor::loadRow()
{
    if (m_loading || !m_tree->currentItem())
        return;
    m_loading = true;
    const PreferencesDraft::Row row = currentRow();
    const auto own = m_draft.ownRule(row);
    const PreferenceRule &rule = m_draft.effectiveRule(row);
    m_rule->setTitle(rowName(row));
    m_delivery->clear();
    if (!row.isDefault()) {
        const QString parent =
            row.isApplication() ? tr("everything else") : m_tree->currentItem()->parent()->text(0);
        m_delivery->addItem(tr("Same as %1").arg(parent), Inherit);
    }
    m_delivery->addItem(tr("Immediately"), u"immediate"_s);
    m_delivery->addItem(tr("In a digest"), u"digest"_s);
    m_delivery->addItem(tr("Off"), u"off"_s);
    m_delivery->setCurrentIndex(
        m_delivery->findData(own ? PreferenceRule::deliveryName(own->delivery) : Inherit));
    m_delivery->setEnabled(m_editable);

    const bool digest = rule.delivery == PreferenceRule::Delivery::Digest;
    const DigestSchedule schedule =
        DigestSchedule::parse(rule.digest).value_or(*DigestSchedule::parse(DefaultSchedule));
    m_period->setCurrentIndex(m_period->findData(int(schedule.period)));
    m_weekday->setCurrentIndex(m_weekday->findData(schedule.weekday));
    m_time->setTime(schedule.at);
    m_schedule->setEnabled(digest && own && m_editable);
    m_schedule->setVisible(digest);
    m_weekday->setVisible(schedule.period == DigestSchedule::Period::Weekly);
    m_time->setVisible(schedule.period != DigestSchedule::Period::Hourly);

    const bool reaches = rule.delivery != PreferenceRule::Delivery::Off;
    m_desktop->setChecked(reaches && rule.agents.contains(PreferenceRule::Desktop));
    m_emailAgent->setChecked(reaches && rule.agents.contains(PreferenceRule::Email));
    for (QCheckBox *agent : {m_desktop, m_emailAgent})
        agent->setEnabled(own && reaches && m_editable);
    showText(m_ruleError, m_rowErrors.value(rowKey(row.application, row.channel)));
    m_loading = false;
}

void DeliveryEditor::onDeliveryChosen()
{
    if (m_loading)
        return;
    const PreferencesDraft::Row row = currentRow();
    const QString choice = m_delivery->currentData().toString();
    if (choice == Inherit) {
        m_draft.setOwnRule(row, std::nullopt);
    } else {
        PreferenceRule rule = m_draft.ownRule(row).value_or(m_draft.inheritedRule(row));
        rule.delivery = PreferenceRule::deliveryFromName(choice).value_or(rule.delivery);
        if (rule.delivery != PreferenceRule::Delivery::Digest)
            rule.digest.clear();
        else if (!DigestSchedule::parse(rule.digest))
            rule.digest = DefaultSchedule;
        if (rule.agents.isEmpty())
            rule.agents = {PreferenceRule::Desktop, PreferenceRule::Email, PreferenceRule::Feed};
        m_draft.setOwnRule(row, rule);
    }
    refreshTexts();
    loadRow();
    Q_EMIT edited();
}

void DeliveryEditor::onScheduleEdited()
{
    if (m_loading)
        return;
    DigestSchedule schedule;
    schedule.period = DigestSchedule::Period(m_period->currentData().toInt());
    schedule.weekday = m_weekday->currentData().toInt();
    schedule.at = m_time->time();
    m_weekday->setVisible(schedule.period == DigestSchedule::Period::Weekly);
    m_time->setVisible(schedule.period != DigestSchedule::Period::Hourly);
    editOwnRule([&](PreferenceRule &rule) { rule.digest = schedule.toString(); });
}

void DeliveryEditor::onAgentsEdited()
{
    if (m_loading)
        return;
    editOwnRule([this](PreferenceRule &rule) {
        const bool feed = rule.agents.contains(PreferenceRule::Feed);
        rule.agents.clear();
        if (m_desktop->isChecked())
            rule.agents << PreferenceRule::Desktop;
        if (m_emailAgent->isChecked())
            rule.agents << PreferenceRule::Email;
        if (feed)
            rule.agents << PreferenceRule::Feed;
    });
}

void DeliveryEditor::editOwnRule(const std::function<void(PreferenceRule &)> &change)
{
    const PreferencesDraft::Row row = currentRow();
    auto rule = m_draft.ownRule(row);
    if (!rule)
        return;
    change(*rule);
    m_draft.setOwnRule(row, rule);
    refreshTexts();
    Q_EMIT edited();
}

void DeliveryEditor::showConflict()
{
    m_conflict->setVisible(m_draft.hasConflict());
}

PreferencesDraft::Row DeliveryEditor::currentRow() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    if (!item)
        return {};
    return {item->data(0, ApplicationRole).toString(), item->data(0, ChannelRole).toString(), {}};
}

QTreeWidgetItem *DeliveryEditor::itemFor(const QString &application, const QString &channel) const
{
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        if ((*it)->data(0, ApplicationRole).toString() == application &&
            (*it)->data(0, ChannelRole).toString() == channel)
            return *it;
    }
    return nullptr;
}

QString DeliveryEditor::rowName(const PreferencesDraft::Row &row) const
{
    if (row.isDefault())
        return tr("Everything else");
    // An error's row has no title: the tree's has.
    if (const QTreeWidgetItem *item = itemFor(row.application, row.channel))
        return item->text(0);
    return titled(row);
}

QString DeliveryEditor::titled(const PreferencesDraft::Row &row) const
{
    if (row.isDefault())
        return tr("Everything else");
    const QString name = row.isApplication() ? row.application : row.channel;
    return row.title.isEmpty() || row.title == name ? name : tr("%1 (%2)").arg(row.title, name);
}

QString DeliveryEditor::describe(const PreferenceRule &rule) const
{
    QString head;
    switch (rule.delivery) {
    case PreferenceRule::Delivery::Off:
        return tr("Off");
    case PreferenceRule::Delivery::Immediate:
        head = tr("Immediately");
        break;
    case PreferenceRule::Delivery::Digest: {
        const auto schedule = DigestSchedule::parse(rule.digest);
        const QString at = schedule ? schedule->at.toString(u"HH:mm"_s) : QString();
        if (!schedule)
            head = tr("Digest (%1)").arg(rule.digest);
        else if (schedule->period == DigestSchedule::Period::Hourly)
            head = tr("Hourly digest");
        else if (schedule->period == DigestSchedule::Period::Daily)
            head = tr("Daily digest at %1").arg(at);
        else
            head = tr("Weekly digest, %1 at %2").arg(QLocale().dayName(schedule->weekday), at);
        break;
    }
    }
    QStringList agents;
    if (rule.agents.contains(PreferenceRule::Desktop))
        agents << tr("desktop");
    if (rule.agents.contains(PreferenceRule::Email))
        agents << tr("email");
    if (rule.agents.contains(PreferenceRule::Feed))
        agents << tr("feed");
    return tr("%1: %2").arg(head, agents.isEmpty() ? tr("nowhere") : agents.join(u", "_s));
}

} // namespace herald::client
