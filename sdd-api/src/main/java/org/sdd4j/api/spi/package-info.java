/**
 * The service-provider interface: a compute backend is a jar with an implementation of {@link
 * org.sdd4j.api.spi.SddBackend} listed in {@code META-INF/services/org.sdd4j.api.spi.SddBackend}.
 */
package org.sdd4j.api.spi;
