// Kaleyra WhatsApp Business number profiles, managed as code.
package kaleyra
