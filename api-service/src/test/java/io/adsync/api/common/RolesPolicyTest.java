package io.adsync.api.common;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The declared access policy of every resource method, read from the compiled classes (no HTTP): each operation
 * names its roles, the reads admit the reader, nothing else does. {@code AuthTest} checks the same on the wire for
 * the operations it calls; this catches an operation added later without a declaration or with too wide a one.
 */
class RolesPolicyTest {

    /**
     * The writes a reader may make: console sign-out. (The console's sign-in page and the /console redirect are
     * vert.x routes, not resources; application.properties declares their access.)
     */
    private static final Set<String> SELF_SERVICE = Set.of("ConsoleSession.signOut");

    @Test
    void everyOperationDeclaresItsRolesAndOnlyReadsAdmitTheReader() throws Exception {
        List<Method> operations = resourceMethods();
        assertThat(operations).hasSizeGreaterThan(20);
        for (Method m : operations) {
            String name = m.getDeclaringClass().getSimpleName() + "." + m.getName();
            assertThat(m.isAnnotationPresent(PermitAll.class)).as(name + " is @PermitAll").isFalse();
            assertThat(m.getDeclaringClass().isAnnotationPresent(PermitAll.class)).as(name + "'s class is @PermitAll").isFalse();
            if (m.isAnnotationPresent(DenyAll.class)) {
                continue;
            }
            RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
            assertThat(roles).as(name + " declares @RolesAllowed").isNotNull();
            Set<String> allowed = Set.of(roles.value());
            if (SELF_SERVICE.contains(name)) {
                // ends the caller's own console session and nothing else: every signed-in role may
                assertThat(allowed).as(name + " (own session)").containsExactlyInAnyOrder(Roles.ADMIN, Roles.READER);
            } else if (m.isAnnotationPresent(GET.class)) {
                assertThat(allowed).as(name + " (a read)").containsExactlyInAnyOrder(Roles.ADMIN, Roles.READER);
            } else {
                assertThat(allowed).as(name + " (a write)").containsExactly(Roles.ADMIN);
            }
        }
    }

    /** The public methods with an HTTP method annotation of every @Path class under io.adsync.api. */
    private static List<Method> resourceMethods() throws IOException, URISyntaxException, ClassNotFoundException {
        // the main classes' directory (target/classes), not the tests'
        var root = Paths.get(Roles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classNames;
        try (Stream<java.nio.file.Path> files = Files.walk(root.resolve("io/adsync/api"))) {
            classNames = files.map(f -> root.relativize(f).toString())
                    .filter(f -> f.endsWith(".class") && !f.contains("$"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        List<Method> operations = new ArrayList<>();
        for (String className : classNames) {
            Class<?> c = Class.forName(className, false, RolesPolicyTest.class.getClassLoader());
            if (!c.isAnnotationPresent(Path.class)) {
                continue;
            }
            Arrays.stream(c.getDeclaredMethods())
                    .filter(m -> Arrays.stream(m.getAnnotations()).anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class)))
                    .forEach(operations::add);
        }
        return operations;
    }
}
