package dev.wstap.http;

/** One header line, name spelled as it arrived. */
public record Header(String name, String value) {
    public boolean is(String otherName) {
        return name.equalsIgnoreCase(otherName);
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
