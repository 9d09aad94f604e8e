package io.leakwatch.testapp;

/**
 * A small object that holds a large one, in a package outside leakwatch's own, as an application's
 * class would be: suspects are never named from leakwatch's packages.
 *
 * @param payload what it keeps alive
 */
public record LeakyHolder(byte[] payload) {
}
