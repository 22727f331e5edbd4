/**
 * The public API of SDD for Java: Selective Diffusion Distillation (Wang, Yang, Liu, Chen, ICCV 2023,
 * arXiv:2307.08448) on the Deep Java Library.
 *
 * <p>A frozen {@link org.sdd4j.api.DiffusionTeacher} guides the training of a small feed-forward
 * manipulator through score distillation at timesteps chosen by a {@link
 * org.sdd4j.api.TimestepSelector} (the paper's Hybrid Quality Score); a {@link
 * org.sdd4j.api.Distiller} trains it, and an {@link org.sdd4j.api.Editor} applies it in one forward
 * pass. Compute backends are found with {@link java.util.ServiceLoader}, see {@link
 * org.sdd4j.api.spi.SddBackend} and {@link org.sdd4j.api.Backends}.
 *
 * <p>Nothing in this package names a compute engine.
 */
package org.sdd4j.api;
