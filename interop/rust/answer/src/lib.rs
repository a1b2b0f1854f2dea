//! The example of the well-known Asyncify article, grown a little: Rust code calls a host
//! function `get_answer` as if it were synchronous; after the Asyncify transform the host may
//! answer with a Promise. Heap data, locals and recursion must survive every pause.

extern "C" {
    /// Provided by the host; may be async once the module is transformed.
    fn get_answer() -> i32;
    /// Provided by the host; always synchronous.
    fn log_value(tag: i32, value: i32);
}

fn answer() -> i32 {
    unsafe { get_answer() }
}

/// The article's example: one call, one answer.
#[no_mangle]
pub extern "C" fn answer_plus_one() -> i32 {
    answer() + 1
}

/// Collects answers in a heap vector between pauses and folds them.
#[no_mangle]
pub extern "C" fn collect_answers(count: i32) -> i32 {
    let mut seen: Vec<i32> = Vec::new();
    for i in 0..count {
        let a = answer();
        seen.push(a * (i + 1));
        unsafe { log_value(i, a) };
    }
    seen.iter().fold(17i32, |acc, v| acc.wrapping_mul(31).wrapping_add(*v))
}

/// Pauses at every level of a recursion; each level keeps a local array alive across its pause.
#[no_mangle]
pub extern "C" fn nested_answers(depth: i32) -> i32 {
    fn level(depth: i32, trail: &mut Vec<i32>) -> i32 {
        let mine = [depth, answer(), depth * 3];
        trail.push(mine[1]);
        if depth == 0 {
            return mine[1];
        }
        let below = level(depth - 1, trail);
        below.wrapping_mul(7) ^ (mine[0] + mine[1] + mine[2])
    }
    let mut trail = Vec::new();
    let r = level(depth, &mut trail);
    r.wrapping_add(trail.len() as i32 * 1000)
}

/// Never pauses: must keep working, and stay cheap, after the transform.
#[no_mangle]
pub extern "C" fn no_pause(n: i32) -> i32 {
    (1..=n).fold(0i32, |acc, v| acc.wrapping_add(v * v))
}

/// Room for the saved call stack, for runtimes that take the unwind buffer from the module
/// (our runtime's `asyncify_buffer`/`asyncify_buffer_size` convention) instead of placing it at
/// a fixed address as asyncify-wasm does.
#[repr(C, align(16))]
struct UnwindBuffer([u8; 16384]);
static mut UNWIND_BUFFER: UnwindBuffer = UnwindBuffer([0; 16384]);

#[no_mangle]
pub extern "C" fn asyncify_buffer() -> i32 {
    unsafe { core::ptr::addr_of_mut!(UNWIND_BUFFER) as usize as i32 }
}

#[no_mangle]
pub extern "C" fn asyncify_buffer_size() -> i32 {
    core::mem::size_of::<UnwindBuffer>() as i32
}
