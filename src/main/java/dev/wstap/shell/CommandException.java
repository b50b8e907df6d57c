package dev.wstap.shell;

/** A script command could not do what it was asked; the message is one line for the user. */
final class CommandException extends RuntimeException {
    CommandException(String message) {
        super(message);
    }
}
