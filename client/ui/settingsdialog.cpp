// SPDX-License-Identifier: Apache-2.0
#include "settingsdialog.h"

#include "ui/deliveryeditor.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace herald::client {

SettingsDialog::SettingsDialog(const Values &values, PreferencesController *preferences,
                               QWidget *parent)
    : QDialog(parent), m_values(values), m_preferences(preferences),
      m_editor(new DeliveryEditor(this)), m_state(new QLabel(this)), m_saveError(new QLabel(this)),
      m_threshold(new QSpinBox(this)),
      m_autostart(new QCheckBox(tr("Start Herald when I log in"), this)),
      m_save(new QPushButton(tr("&Save"), this))
{
    setWindowTitle(tr("Herald settings"));
    setWindowIcon(QIcon(u":/icons/herald.svg"_s));
    m_state->setObjectName(u"state"_s);
    m_state->setWordWrap(true);
    m_saveError->setObjectName(u"saveError"_s);
    m_saveError->setWordWrap(true);
    m_saveError->setStyleSheet(u"color: #c0392b;"_s);
    m_saveError->hide();
    m_save->setObjectName(u"save"_s);
    m_save->setDefault(true);

    auto *connection = new QHBoxLayout;
    connection->addWidget(new QLabel(values.connection, this), 1);
    auto *change = new QPushButton(tr("Change server…"), this);
    connection->addWidget(change);
    connect(change, &QPushButton::clicked, this, [this] {
        reject();
        Q_EMIT changeServerRequested();
    });

    auto *delivery = new QGroupBox(tr("How notifications reach you"), this);
    auto *deliveryLayout = new QVBoxLayout(delivery);
    deliveryLayout->addWidget(m_state);
    deliveryLayout->addWidget(m_editor, 1);

    m_threshold->setRange(1, 100);
    m_threshold->setValue(values.summaryThreshold);
    m_autostart->setChecked(values.autostart);
    auto *device = new QGroupBox(tr("On this device"), this);
    auto *deviceLayout = new QFormLayout(device);
    deviceLayout->addRow(tr("Summarize after an absence when a channel has more than"),
                         m_threshold);
    deviceLayout->addRow(m_autostart);

    auto *form = new QFormLayout;
    form->addRow(tr("Connection:"), connection);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    buttons->addButton(m_save, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(delivery, 1);
    layout->addWidget(device);
    layout->addWidget(m_saveError);
    layout->addWidget(buttons);
    resize(640, 640);

    m_editor->addChannels(values.channels);
    if (m_preferences) {
        m_editor->reset(m_preferences->preferences());
        connect(m_preferences, &PreferencesController::preferencesChanged, this,
                &SettingsDialog::onPreferences);
        connect(m_preferences, &PreferencesController::stateChanged, this,
                &SettingsDialog::updateState);
        connect(m_preferences, &PreferencesController::saveFinished, this,
                &SettingsDialog::onSaveFinished);
    }
    connect(m_editor, &DeliveryEditor::edited, this, [this] {
        m_note.clear();
        updateState();
    });
    updateState();
    // The list of rows takes the keys first: type a channel's name, Tab to its delivery.
    m_editor->findChild<QWidget *>(u"rules"_s)->setFocus();
}

SettingsDialog::Values SettingsDialog::values() const
{
    Values v = m_values;
    v.summaryThreshold = m_threshold->value();
    v.autostart = m_autostart->isChecked();
    return v;
}

void SettingsDialog::setCatalog(const QList<CatalogChannel> &channels)
{
    m_editor->addChannels(channels);
}

void SettingsDialog::accept()
{
    if (m_saving)
        return;
    m_editor->clearErrors();
    m_saveError->hide();
    if (!m_preferences || !m_editor->draft().isDirty()) {
        QDialog::accept();
        return;
    }
    switch (m_preferences->state()) {
    case PreferencesController::State::Unsupported:
        return refuse(tr("Not saved: this server does not keep delivery settings."));
    case PreferencesController::State::Offline:
        return refuse(tr("Not saved: Herald is offline. Your changes stay here; save again once "
                         "it is connected."));
    case PreferencesController::State::Online:
        break;
    }
    if (!m_preferences->save(m_editor->draft().draft()))
        return refuse(tr("Not saved: another save is under way. Try again in a moment."));
    m_saving = true;
    m_note.clear();
    updateState();
}

void SettingsDialog::onPreferences(const UserPreferences &preferences,
                                   PreferencesController::Source source)
{
    const auto incoming = m_editor->takeIncoming(preferences);
    if (incoming == PreferencesDraft::Incoming::Updated &&
        source == PreferencesController::Source::OtherDevice && !m_saving)
        m_note = tr("Updated with a change made on another device.");
    updateState();
}

void SettingsDialog::onSaveFinished(bool ok, const QString &message, const FieldError &error)
{
    if (!m_saving)
        return; // not this dialog's save
    m_saving = false;
    updateState();
    if (ok) {
        QDialog::accept();
        return;
    }
    if (!error.message.isEmpty())
        m_editor->showError(error); // next to the field the server named
    else
        refuse(message);
}

void SettingsDialog::updateState()
{
    using S = PreferencesController::State;
    const S state = m_preferences ? m_preferences->state() : S::Offline;
    QString text;
    if (m_saving) {
        text = tr("Saving…");
    } else if (state == S::Online) {
        text = tr("Kept on the server: the same on all your devices.");
    } else if (state == S::Unsupported) {
        text = tr("This server does not keep delivery settings (it runs an older herald-syncd).");
    } else if (m_preferences && m_preferences->isKnown() && m_preferences->confirmed().isValid()) {
        text = tr("Offline: this is the copy read from the server on %1. Changes can be saved "
                  "once Herald is connected again.")
                   .arg(QLocale().toString(m_preferences->confirmed().toLocalTime(),
                                           QLocale::ShortFormat));
    } else {
        text = tr("Offline: Herald has not read these settings from the server yet. Changes "
                  "can be saved once it is connected.");
    }
    if (!m_note.isEmpty())
        text += u'\n' + m_note;
    m_state->setText(text);
    m_editor->setEditable(!m_saving && state != S::Unsupported);
    m_save->setEnabled(!m_saving);
}

void SettingsDialog::refuse(const QString &message)
{
    m_saveError->setText(message);
    m_saveError->setVisible(!message.isEmpty());
}

} // namespace herald::client
