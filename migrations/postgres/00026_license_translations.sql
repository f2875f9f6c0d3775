-- +goose Up
-- A version of the license agreement in the portal's other languages, so
-- a reader of one reads the agreement in it. The version's own text (in
-- license_versions, English) is the one that applies; a language without
-- a translation shows it.
CREATE TABLE license_translations (
    version_id    bigint NOT NULL REFERENCES license_versions (id) ON DELETE CASCADE,
    language      text NOT NULL,
    title         text NOT NULL,
    body_markdown text NOT NULL,
    PRIMARY KEY (version_id, language)
);

-- The built-in version's text in the portal's other languages.
INSERT INTO license_translations (version_id, language, title, body_markdown)
SELECT id, 'es', 'Condiciones de uso de Account Portal',
'Este portal le permite gestionar la cuenta de su empresa con nosotros: su perfil, los usuarios de su cuenta y, si es administrador, sus privilegios.

1. No comparta su contraseña ni su frase de contraseña de soporte. Nuestro personal nunca le pedirá su contraseña.
2. Use el portal solo para la cuenta de su empresa y solo dentro de los privilegios que se le han dado.
3. Las acciones que realice quedan registradas en el registro de auditoría de su cuenta, con la hora y la dirección desde la que se hicieron.
4. Avise de inmediato al administrador de su cuenta si cree que otra persona ha usado su cuenta.
5. Podemos actualizar estas condiciones; cuando lo hagamos, se le pedirá que las acepte de nuevo.
' FROM license_versions WHERE version = '2026-01';
INSERT INTO license_translations (version_id, language, title, body_markdown)
SELECT id, 'fr', 'Conditions d’utilisation d’Account Portal',
'Ce portail vous permet de gérer le compte de votre entreprise chez nous : votre profil, les utilisateurs de votre compte et, si vous êtes administrateur, leurs privilèges.

1. Gardez pour vous votre mot de passe et votre phrase secrète d’assistance. Notre personnel ne vous demandera jamais votre mot de passe.
2. N’utilisez le portail que pour le compte de votre entreprise, et seulement dans les limites des privilèges qui vous ont été donnés.
3. Les actions que vous effectuez sont enregistrées dans le journal d’audit de votre compte, avec l’heure et l’adresse d’où elles viennent.
4. Prévenez aussitôt l’administrateur de votre compte si vous pensez que quelqu’un d’autre a utilisé votre compte.
5. Nous pouvons modifier ces conditions ; dans ce cas, il vous sera demandé de les accepter à nouveau.
' FROM license_versions WHERE version = '2026-01';
INSERT INTO license_translations (version_id, language, title, body_markdown)
SELECT id, 'de', 'Nutzungsbedingungen von Account Portal',
'Mit diesem Portal verwalten Sie das Konto Ihres Unternehmens bei uns: Ihr Profil, die Benutzer Ihres Kontos und, wenn Sie Administrator sind, deren Berechtigungen.

1. Behalten Sie Ihr Passwort und Ihre Support-Passphrase für sich. Unsere Mitarbeiter werden Sie nie nach Ihrem Passwort fragen.
2. Nutzen Sie das Portal nur für das Konto Ihres Unternehmens und nur im Rahmen der Berechtigungen, die Ihnen gegeben wurden.
3. Ihre Aktionen werden im Prüfprotokoll Ihres Kontos festgehalten, mit der Uhrzeit und der Adresse, von der sie kamen.
4. Informieren Sie sofort den Administrator Ihres Kontos, wenn Sie glauben, dass jemand anderes Ihr Konto benutzt hat.
5. Wir können diese Bedingungen ändern; dann werden Sie gebeten, sie erneut zu akzeptieren.
' FROM license_versions WHERE version = '2026-01';

-- +goose Down
DROP TABLE license_translations;
